"""pandas: columns, indexes, merges, casts, files, removed APIs."""
from __future__ import annotations

from ..case import CaseSet
from .common import CATEGORIES, COLUMNS, FILES, FRAMES, SIZES, lab, vary

FRAME = "import pandas as pd\n$df = pd.DataFrame({'$a': [1.0, 2.5, 3.0, 4.5], '$b': [10, 20, 30, 40]})"


def build():
    s = CaseSet("pandas")
    s.add("missing-column", ename="KeyError", labels=lab("KEY/DATA", "ML", "DATAP", "pandas"),
          cells=[FRAME, "$df['$c'].mean()"], variants=vary(6, "mc", df=FRAMES, a=COLUMNS, b=COLUMNS[::-1], c=["Price", "AGE", "total", "Amount", "value ", "income_usd"]))
    s.add("missing-columns-list", ename="KeyError", labels=lab("KEY/DATA", "ML", "DATAP", "pandas"),
          cells=[FRAME, "subset = $df[['$a', '$c']]"], variants=vary(6, "ml", df=FRAMES, a=COLUMNS, b=CATEGORIES, c=["Price", "label", "Date", "name", "target", "year"]))
    s.add("drop-missing", ename="KeyError", labels=lab("KEY/DATA", "ML", "DATAP", "pandas"),
          cells=[FRAME, "$df = $df.drop(columns=['$c'])"], variants=vary(5, "dm", df=FRAMES, a=COLUMNS, b=CATEGORIES, c=["id", "Unnamed: 0", "index", "PassengerId", "row_id"]))
    s.add("loc-label", ename="KeyError", labels=lab("KEY/API", "ML", "DATAP", "pandas"),
          cells=[FRAME + "\n$df = $df.set_index('$b')", "row = $df.loc[$n]"], variants=vary(5, "ll", df=FRAMES, a=COLUMNS, b=CATEGORIES, n=[0, 1, 2, 3, 5]))
    s.add("iloc-bounds", ename="IndexError", labels=lab("INDEX/DATA", "ML", "DATAP", "pandas"),
          cells=[FRAME, "last = $df.iloc[$n]"], variants=vary(5, "ib", df=FRAMES, a=COLUMNS, b=CATEGORIES, n=[4, 5, 8, 10, 100]))
    s.add("append-removed", ename="AttributeError", labels=lab("ATTR/LIB", "ML", "DATAP", "pandas"),
          cells=[FRAME, "$df = $df.append({'$a': 5.0, '$b': 50}, ignore_index=True)"],
          variants=vary(6, "ar", df=FRAMES, a=COLUMNS, b=CATEGORIES))
    s.add("iteritems-removed", ename="AttributeError", labels=lab("ATTR/LIB", "ML", "DATAP", "pandas"),
          cells=[FRAME, "for name, col in $df.iteritems():\n    print(name)"], variants=vary(4, "ir", df=FRAMES, a=COLUMNS, b=CATEGORIES))
    s.add("list-head", ename="AttributeError", labels=lab("ATTR/DATA", "PY", "DATAV"),
          cells=["$df = [[1, 2], [3, 4]]", "$df.head()"], variants=vary(5, "lh", df=FRAMES))
    s.add("astype-int", ename="ValueError", labels=lab("VALUE/DATA", "ML", "DATAP", "pandas", et="cast exception"),
          cells=["import pandas as pd\n$df = pd.DataFrame({'$a': ['1', '2', '$v']})", "$df['$a'] = $df['$a'].astype(int)"],
          variants=vary(6, "ai", df=FRAMES, a=COLUMNS, v=["10,000+", "46.0", "unknown", "3 kg", "N/A", "1e3"]))
    s.add("merge-dtypes", ename="ValueError", labels=lab("DVIOL/DATA", "ML", "DATAP", "pandas"),
          cells=["import pandas as pd\n$l = pd.DataFrame({'key': [1, 2, 3], '$a': [0.1, 0.2, 0.3]})\n$r = pd.DataFrame({'key': ['1', '2', '3'], '$b': [4, 5, 6]})",
                 "merged = $l.merge($r, on='key')"],
          variants=vary(5, "md", l=["left", "orders", "users", "train", "df1"], r=["right", "items", "scores", "extra", "df2"], a=COLUMNS, b=CATEGORIES))
    s.add("join-overlap", ename="ValueError", labels=lab("DVIOL/DATA", "ML", "DATAP", "pandas"),
          cells=["import pandas as pd\n$l = pd.DataFrame({'$a': [1, 2]})\n$r = pd.DataFrame({'$a': [3, 4]})", "joined = $l.join($r)"],
          variants=vary(5, "jo", l=["left", "a_df", "users", "train", "df1"], r=["right", "b_df", "scores", "extra", "df2"], a=COLUMNS))
    s.add("series-truth", ename="ValueError", labels=lab("VALUE/API", "ML", "DATAP", "pandas", et="valueerror - data range mismatch"),
          cells=[FRAME, "if $df['$a'] > 2:\n    print('big')"], variants=vary(5, "st", df=FRAMES, a=COLUMNS, b=CATEGORIES))
    s.add("str-accessor", ename="AttributeError", labels=lab("ATTR/DATA", "ML", "DATAP", "pandas"),
          cells=[FRAME, "$df['$a'].str.lower()"], variants=vary(5, "sa", df=FRAMES, a=COLUMNS, b=CATEGORIES))
    s.add("add-str", ename="TypeError", labels=lab("TYPE/DATA", "ML", "DATAP", "pandas", et="typeerror-op"),
          cells=["import pandas as pd\n$df = pd.DataFrame({'$a': [1.5, 2.5], '$c': ['x', 'y']})", "$df['$a'] + $df['$c']"],
          variants=vary(5, "as", df=FRAMES, a=COLUMNS, c=CATEGORIES))
    s.add("read-missing", ename="FileNotFoundError", labels=lab("IO/ENV", "ML", "DATAP", "pandas"),
          cells=["import pandas as pd", "$df = pd.read_csv('$f')"], variants=vary(6, "rm", df=FRAMES, f=FILES))
    s.add("read-encoding", ename="UnicodeDecodeError", labels=lab("IO/DATA", "ML", "DATAP", "pandas", et="unsupported file type (read file)"),
          cells=["with open('$f', 'wb') as h:\n    h.write('$a,name\\n1,Jos\\xe9\\n2,Ren\\xe9e\\n'.encode('latin-1'))",
                 "import pandas as pd\n$df = pd.read_csv('$f')"],
          variants=vary(5, "re", f=["people.csv", "cities.csv", "names.csv", "export.csv", "survey.csv"], df=FRAMES, a=COLUMNS))
    s.add("read-excel-engine", ename="ImportError", labels=lab("ENV/ENV", "ML", "DATAP", "pandas", rc="module not installed"),
          cells=["import zipfile\nwith zipfile.ZipFile('$f', 'w') as book:\n    book.writestr('xl/workbook.xml', '<workbook/>')", "import pandas as pd\n$df = pd.read_excel('$f')"], variants=vary(4, "rx", df=FRAMES, f=["data.xlsx", "sales.xlsx", "survey.xlsx"]))
    s.add("tuple-columns", ename="ValueError", labels=lab("IARG/API", "ML", "DATAP", "pandas", rc="misunderstanding of APIs"),
          cells=["import pandas as pd\n$df = pd.DataFrame({'$c': ['a', 'b', 'a'], '$a': [1, 2, 3], '$b': [4, 5, 6]})",
                 "$df.groupby('$c')['$a', '$b'].sum()"],
          variants=vary(5, "tc", df=FRAMES, c=CATEGORIES, a=COLUMNS, b=COLUMNS[::-1]))
    s.add("bad-kwarg", ename="TypeError", labels=lab("IARG/API", "ML", "DATAP", "pandas", rc="invalid argument"),
          cells=[FRAME, "$df.sort_values(by='$a', $kw=True)"], variants=vary(5, "bk", df=FRAMES, a=COLUMNS, b=CATEGORIES,
                                                                        kw=["reverse", "descending", "inplace_sort", "desc", "decreasing"]))
    s.add("concat-series", ename="TypeError", labels=lab("IARG/API", "ML", "DATAP", "pandas", rc="invalid argument"),
          cells=[FRAME, "both = pd.concat($df, $df)"], variants=vary(4, "cs", df=FRAMES, a=COLUMNS, b=CATEGORIES))
    s.add("length-mismatch", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "DATAP", "pandas"),
          cells=[FRAME, "$df['$c'] = [$n, 2, 3]"], variants=vary(5, "lm", df=FRAMES, a=COLUMNS, b=CATEGORIES, c=["flag", "group", "fold", "rank", "bin"], n=SIZES))
    s.add("date-parse", ename="ValueError", labels=lab("VALUE/DATA", "ML", "DATAP", "pandas", et="cast exception"),
          cells=["import pandas as pd\n$df = pd.DataFrame({'date': ['2021-01-05', '$v']})", "$df['date'] = pd.to_datetime($df['date'])"],
          variants=vary(4, "dp", df=FRAMES, v=["not a date", "yesterday", "31/31/2020", "??"]))
    s.add("sanity-assert", ename="AssertionError", labels=lab("OTHER/INTENT", "ML", "DATAP", et="assertionerror"),
          cells=[FRAME, "# sanity check, meant to stop the notebook when the data is not as expected\nassert len($df) == $n, 'expected $n rows'"],
          variants=vary(5, "sa", df=FRAMES, a=COLUMNS, b=CATEGORIES, n=[10, 100, 5, 1000, 50]))
    return s.cases
