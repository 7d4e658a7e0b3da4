import ts from 'typescript';

/**
 * Effect parameters exist only as TypeScript types (the `EffectParams` interface in
 * src/effects.ts), so the docs read them from that source with the compiler's parser.
 */
export interface EffectDoc {
  /** The JSDoc on the effect's entry, on one line. */
  description: string;
  /** Parameter names, `?` marking optional ones. */
  fields: string[];
}

function jsDocText(node: ts.Node): string {
  const texts = ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '');
  return texts.join(' ').replace(/\s+/g, ' ').trim();
}

function fieldsOf(type: ts.TypeNode | undefined, source: ts.SourceFile): string[] {
  if (type === undefined || !ts.isTypeLiteralNode(type)) return [];
  return type.members
    .filter(ts.isPropertySignature)
    .map((member) => member.name.getText(source) + (member.questionToken ? '?' : ''));
}

/** Effect type → its description and parameter fields, from the text of src/effects.ts. */
export function readEffectDocs(
  sourceText: string,
  interfaceName = 'EffectParams',
): Map<string, EffectDoc> {
  const source = ts.createSourceFile('effects.ts', sourceText, ts.ScriptTarget.Latest, true);
  const docs = new Map<string, EffectDoc>();
  const declaration = source.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === interfaceName,
  );
  for (const member of declaration?.members ?? []) {
    if (!ts.isPropertySignature(member)) continue;
    docs.set(member.name.getText(source), {
      description: jsDocText(member),
      fields: fieldsOf(member.type, source),
    });
  }
  return docs;
}
