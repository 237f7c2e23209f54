"""Runs Python snippets for test/unit/pythonDifferential.test.ts: reads a JSON list of sources on stdin,
executes each in a fresh namespace with stdout captured, prints a JSON list of their outputs (or the
exception each raised). One process for all of them."""
import contextlib
import io
import json
import sys

out = []
for source in json.load(sys.stdin):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(source, '<snippet>', 'exec'), {'__name__': '__main__'})
        out.append({'out': buf.getvalue()})
    except Exception as e:  # noqa: BLE001 - the test reports what raised
        out.append({'out': buf.getvalue(), 'error': f'{type(e).__name__}: {e}'})
json.dump(out, sys.stdout)
