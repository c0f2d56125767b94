import { type DocumentNode, print } from 'graphql';

const printed = new WeakMap<DocumentNode, string>();

/**
 * The text of a document sent to a remote GraphQL department. The gateway's query plans send the same
 * document objects on every request, so their text is printed once and kept with them; a document
 * built for one request only is printed and forgotten with it.
 */
export function printedDocument(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}
