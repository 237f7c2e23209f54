"""Facts about Python files as CPython's own parser sees them, for test/unit/parseConformance.test.ts.

Reads a JSON list of file paths on stdin; prints one JSON list with, per file, whether ast.parse
accepts it and (if so) the kinds of its top-level statements and counts of node kinds. The counts
leave out what the engine's AST does not keep (annotations, f-string format specs) and do not look
inside what it does not interpret (match statements, yield, await).
"""
import ast
import json
import sys

STMT_KINDS = {
    'Expr': 'expr', 'Assign': 'assign', 'AugAssign': 'augassign', 'AnnAssign': 'annassign', 'If': 'if',
    'For': 'for', 'AsyncFor': 'for', 'While': 'while', 'Return': 'return', 'Pass': 'pass', 'Break': 'break',
    'Continue': 'continue', 'Raise': 'raise', 'Assert': 'assert', 'Delete': 'del', 'Global': 'scope',
    'Nonlocal': 'scope', 'Import': 'import', 'ImportFrom': 'importfrom', 'FunctionDef': 'def',
    'AsyncFunctionDef': 'def', 'ClassDef': 'class', 'Try': 'try', 'TryStar': 'try', 'With': 'with',
    'AsyncWith': 'with', 'Match': 'bad',
}
OPAQUE = (ast.Match, ast.Yield, ast.YieldFrom, ast.Await)


def facts(tree):
    counts = {'stmt': 0, 'int': 0, 'float': 0, 'call': 0, 'attr': 0, 'subscript': 0, 'def': 0, 'class': 0, 'lambda': 0, 'comp': 0}

    def visit(node):
        if isinstance(node, ast.stmt):
            counts['stmt'] += 1
        if isinstance(node, OPAQUE):
            return
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            counts['int' if type(node.value) is int else 'float'] += 1
        elif isinstance(node, ast.Call):
            counts['call'] += 1
        elif isinstance(node, ast.Attribute):
            counts['attr'] += 1
        elif isinstance(node, ast.Subscript):
            counts['subscript'] += 1
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            counts['def'] += 1
        elif isinstance(node, ast.ClassDef):
            counts['class'] += 1
        elif isinstance(node, ast.Lambda):
            counts['lambda'] += 1
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            counts['comp'] += 1
        for name, value in ast.iter_fields(node):
            if name in ('annotation', 'returns', 'format_spec', 'type_comment'):
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST):
                    visit(child)

    visit(tree)
    return counts


def main():
    out = []
    for path in json.load(sys.stdin):
        try:
            with open(path, 'rb') as f:
                tree = ast.parse(f.read(), path)
        except (SyntaxError, ValueError) as e:
            out.append({'path': path, 'ok': False, 'error': f'{type(e).__name__}: {e}'})
            continue
        top = [STMT_KINDS.get(type(s).__name__, type(s).__name__) for s in tree.body]
        out.append({'path': path, 'ok': True, 'top': top, 'counts': facts(tree)})
    json.dump(out, sys.stdout)


main()
