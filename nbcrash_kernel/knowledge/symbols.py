"""Names of classes and functions that tell which library an object comes from."""
from __future__ import annotations

import re

from .messages import ascii_lowered
from .raise_sites import raising_library

# Exact names (classes, functions, well-known attributes) -> top-level library.
SYMBOL_LIBRARY: dict[str, str] = {}


def _register(library: str, names: str) -> None:
    for name in names.split():
        SYMBOL_LIBRARY.setdefault(name, library)


_register("pandas", """DataFrame Series Index MultiIndex DatetimeIndex RangeIndex Timestamp
    Timedelta Categorical DataFrameGroupBy SeriesGroupBy GroupBy read_csv read_excel read_json
    read_parquet read_sql read_table read_pickle read_html to_datetime get_dummies concat merge
    pivot_table crosstab cut qcut melt date_range to_numeric value_counts iloc loc iterrows
    itertuples groupby fillna dropna isnull isna notnull to_csv describe nunique unique
    Styler ExcelWriter NaT""")
_register("numpy", """ndarray array arange linspace zeros ones reshape concatenate vstack hstack
    argmax argmin expand_dims squeeze float64 int64 float32 int32 uint8 dtype matrix newaxis
    where unique meshgrid frombuffer fromfile genfromtxt loadtxt savetxt load save random
    AxisError linalg LinAlgError ufunc""")
_register("sklearn", """train_test_split cross_val_score cross_val_predict cross_validate
    GridSearchCV RandomizedSearchCV KFold StratifiedKFold Pipeline ColumnTransformer
    make_pipeline StandardScaler MinMaxScaler RobustScaler MaxAbsScaler Normalizer
    LabelEncoder OneHotEncoder OrdinalEncoder LabelBinarizer PolynomialFeatures SimpleImputer
    KNNImputer Imputer LinearRegression LogisticRegression Ridge Lasso ElasticNet SGDClassifier
    SGDRegressor Perceptron SVC SVR LinearSVC NuSVC DecisionTreeClassifier DecisionTreeRegressor
    RandomForestClassifier RandomForestRegressor ExtraTreesClassifier GradientBoostingClassifier
    GradientBoostingRegressor AdaBoostClassifier BaggingClassifier VotingClassifier
    StackingClassifier KNeighborsClassifier KNeighborsRegressor NearestNeighbors KMeans DBSCAN
    AgglomerativeClustering MiniBatchKMeans GaussianMixture PCA TruncatedSVD TSNE NMF
    LatentDirichletAllocation CountVectorizer TfidfVectorizer TfidfTransformer HashingVectorizer
    GaussianNB MultinomialNB BernoulliNB MLPClassifier MLPRegressor IsolationForest
    accuracy_score precision_score recall_score f1_score roc_auc_score roc_curve auc
    confusion_matrix classification_report mean_squared_error mean_absolute_error r2_score
    silhouette_score log_loss plot_confusion_matrix plot_roc_curve ConfusionMatrixDisplay
    RocCurveDisplay PrecisionRecallDisplay precision_recall_curve make_scorer load_iris
    load_digits load_boston load_wine load_breast_cancer fetch_openml make_classification
    make_blobs SelectKBest chi2 RFE permutation_importance NotFittedError feature_importances_
    best_estimator_ best_params_ best_score_ coef_ intercept_ cluster_centers_ labels_
    classes_ n_features_in_ get_feature_names get_feature_names_out fit_transform
    inverse_transform predict_proba decision_function""")
_register("tensorflow", """Tensor EagerTensor Variable constant placeholder Session
    GradientTape function data Dataset TensorShape InvalidArgumentError ResourceExhaustedError
    NotFoundError FailedPreconditionError""")
_register("keras", """Sequential Model Functional Input Dense Conv2D Conv1D MaxPooling2D
    MaxPool2D AveragePooling2D GlobalAveragePooling2D Flatten Dropout BatchNormalization LSTM
    GRU SimpleRNN Embedding Bidirectional Activation Reshape Concatenate TimeDistributed
    ImageDataGenerator DataFrameIterator DirectoryIterator Tokenizer pad_sequences
    to_categorical EarlyStopping ModelCheckpoint ReduceLROnPlateau History load_model
    VGG16 VGG19 ResNet50 InceptionV3 MobileNetV2 EfficientNetB0 Xception Adam SGD RMSprop
    fit_generator predict_classes predict_generator evaluate_generator compile summary
    add_weight layers callbacks optimizers losses""")
_register("torch", """tensor Tensor Module DataLoader TensorDataset Linear Conv2d Conv1d
    MaxPool2d BatchNorm2d ReLU CrossEntropyLoss MSELoss BCELoss BCEWithLogitsLoss NLLLoss
    state_dict load_state_dict zero_grad backward cuda no_grad from_numpy Parameter
    device""")
_register("torchvision", "ImageFolder make_grid save_image ToTensor Compose Resize Normalize")
_register("matplotlib", """subplots subplot figure imshow plot scatter hist bar barh xlabel
    ylabel title legend show savefig colorbar Axes AxesSubplot Figure xticks yticks
    tight_layout suptitle pie boxplot fill_between axhline axvline set_xlabel set_ylabel
    set_title annotate""")
_register("seaborn", """heatmap countplot barplot distplot histplot displot
    kdeplot pairplot lineplot scatterplot violinplot jointplot catplot lmplot regplot
    FacetGrid PairGrid set_style set_palette clustermap relplot swarmplot stripplot""")
_register("plotly", "make_subplots iplot init_notebook_mode")
_register("statsmodels", """OLS ols logit ARIMA SARIMAX adfuller seasonal_decompose
    acorr_ljungbox plot_acf plot_pacf add_constant ExponentialSmoothing""")
_register("xgboost", "XGBClassifier XGBRegressor DMatrix XGBRFClassifier")
_register("lightgbm", "LGBMClassifier LGBMRegressor")
_register("catboost", "CatBoostClassifier CatBoostRegressor Pool")
_register("imblearn", "SMOTE RandomOverSampler RandomUnderSampler ADASYN SMOTEENN")
_register("nltk", "word_tokenize sent_tokenize stopwords WordNetLemmatizer PorterStemmer FreqDist")
_register("gensim", "Word2Vec KeyedVectors Doc2Vec FastText")
_register("transformers", """AutoTokenizer AutoModel AutoModelForSequenceClassification
    AutoModelForCausalLM BertTokenizer BertModel Trainer TrainingArguments pipeline
    GPT2Tokenizer GPT2LMHeadModel""")
_register("wordcloud", "WordCloud STOPWORDS")
_register("scipy", "stats optimize interpolate signal sparse csr_matrix spatial")
_register("PIL", "Image ImageDraw ImageFont ImageOps")
_register("cv2", "imread imwrite cvtColor VideoCapture")

# Class-name shapes that point at a library when the exact name is unknown.
SUFFIX_LIBRARY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(Classifier|Regressor|Scaler|Encoder|Imputer|Vectorizer|SearchCV|Transformer)$"), "sklearn"),
    (re.compile(r"^(XGB)"), "xgboost"),
    (re.compile(r"^(LGBM)"), "lightgbm"),
    (re.compile(r"^(CatBoost)"), "catboost"),
    (re.compile(r"(Tensor|Layer|Keras)"), "tensorflow"),
    (re.compile(r"(DataFrame|Series)"), "pandas"),
)


def library_of_symbol(name: str) -> str | None:
    """The library a class or function name belongs to (``'GridSearchCV'`` -> ``'sklearn'``)."""
    if not name:
        return None
    name = name.rsplit(".", 1)[-1]
    if name in SYMBOL_LIBRARY:
        return SYMBOL_LIBRARY[name]
    for pattern, library in SUFFIX_LIBRARY:
        if pattern.search(name):
            return library
    return None


# Qualified type names as they appear in messages: 'numpy.ndarray', 'pandas.core.frame.DataFrame'.
_QUALIFIED_TYPE = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\.[A-Za-z_][A-Za-z0-9_.]*")


def library_of_qualified(text: str) -> str | None:
    """The library of the first dotted type name in a message, if it is a known one."""
    from .libraries import ML_LIBRARIES

    for match in _QUALIFIED_TYPE.finditer(text or ""):
        top = match.group(1)
        if top in ML_LIBRARIES:
            return top
    return None

_register("pandas", """sort_values sort_index from_dict pivot drop_duplicates reset_index set_index
    to_frame astype apply applymap agg aggregate""")

# Messages whose wording belongs to one library, even when no frame of it is shown.
MESSAGE_LIBRARY: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), lib) for p, lib in (
        (r"could not broadcast|operands could not be broadcast|cannot reshape array|out of bounds for axis|"
         r"arrays used as indices|shapes \(.*\) and \(.*\) not aligned|only integers, slices \(`:`\)|"
         r"axis \d+ is out of bounds|setting an array element with a sequence|"
         r"unable to allocate .* for an array", "numpy"),
        (r"received an invalid combination of arguments|cuda error|cuda out of memory|"
         r"shape '\[[\d, ]+\]' is invalid for input of size|expected all tensors to be on the same device|"
         r"mat1 and mat2|state_dict|torch\.|expected scalar type|element \d+ of tensors does not require grad|"
         r"must be tensor", "torch"),
        (r"not in index|not found in axis|columns not found|truth value of a series|"
         r"dataframe|series|cannot set a frame with no defined index|no numeric types to aggregate|"
         r"cannot reindex|duplicate (?:labels|axis)|can only use \.str accessor", "pandas"),
        (r"not fitted yet|estimator|n_samples|n_features|is not supported\b|multiclass|"
         r"classification metrics|target_names|found input variables with inconsistent", "sklearn"),
        (r"incompatible with the layer|exception encountered when calling layer|sequential|"
         r"failed to find data adapter|graph execution error|keras", "keras"),
        (r"oom when allocating|tensorflow|tf\.\w+|\{\{node |eager", "tensorflow"),
        (r"opencv|cv::|cv2", "cv2"),
        (r"matplotlib|image data of dtype|invalid shape .* for image data|x and y must have same first dimension", "matplotlib"),
        (r"could not interpret input", "seaborn"),
        (r"numpy\.|ndarray", "numpy"),
    ))

# Python's wording for a call whose arguments do not fit: since Python 3.10 the function is named by
# its qualified name (Objects/call.c, Python/ceval.c: "LinearRegression.__init__() got an unexpected
# keyword argument 'normalize'"), so the class that owns the method names the library.
_CALLED_IN_MESSAGE = re.compile(r"\b([\w.]+)\(\) (?:got|missing|takes|argument)")


def library_of_called(evalue: str) -> str | None:
    """The library of the function or method a call-error message names (its class, for a method)."""
    match = _CALLED_IN_MESSAGE.search(evalue or "")
    if not match:
        return None
    for part in reversed(match.group(1).split(".")):
        lib = library_of_symbol(part)
        if lib:
            return lib
    return None


_MESSAGE_LIBRARY_LOWERED = tuple((ascii_lowered(pattern), library) for pattern, library in MESSAGE_LIBRARY)


def library_of_message(evalue: str) -> str | None:
    """The library a message's wording or named function belongs to."""
    text = evalue or ""
    lib = library_of_called(text)
    if lib:
        return lib
    searched, table = text, MESSAGE_LIBRARY
    if text.isascii():
        searched, table = text.lower(), _MESSAGE_LIBRARY_LOWERED
    for pattern, library in table:
        if pattern.search(searched):
            return library
    return raising_library(text) or None
