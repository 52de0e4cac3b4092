/** The MIME renderer for nbcrash's crash card and pre-run warning. */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

import { ICardActions, crashCard, warningCard } from './card';
import { CRASH_MIME, WARNING_MIME, readCrash, readWarning } from './record';

export class CardRenderer extends Widget implements IRenderMime.IRenderer {
  constructor(
    options: IRenderMime.IRendererOptions,
    private readonly actions: ICardActions
  ) {
    super();
    this.mimeType = options.mimeType;
    this.addClass('nbcrash-rendered');
  }

  readonly mimeType: string;

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[this.mimeType];
    const card =
      this.mimeType === CRASH_MIME
        ? crashCard(readCrash(data), this.actions, this.node)
        : warningCard(readWarning(data), this.actions, this.node);
    this.node.replaceChildren(card);
    return Promise.resolve();
  }
}

/**
 * The renderer factory. It is safe (builds the DOM from text), so it also renders in
 * untrusted notebooks, and ranks before text/html so the rich card wins over the fallback.
 */
export function cardRendererFactory(actions: ICardActions): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [CRASH_MIME, WARNING_MIME],
    defaultRank: 0,
    createRenderer: options => new CardRenderer(options, actions)
  };
}
