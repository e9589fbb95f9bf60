#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""schema-check: sroscope's JSON output against its schema (schemas/).

    schema-check.py SCHEMA FILE...

Every JSON document of each FILE (one, several one after the other as
`leaks --json INTERVAL COUNT` prints them, or one per line as `trace
--json`) is validated against SCHEMA with Debian's python3-jsonschema
(draft 2020-12). A stream whose schema is sroscope-trace must open with
its header line and have no other. Prints one line per FILE; exit 0 when
all are valid, 1 when one is not (each error with the document, the path
in it and the schema's rule), 2 for usage and I/O errors.
"""
import json
import sys

import jsonschema


def documents(text):
    """(line, document) for each JSON document of text, in order."""
    dec = json.JSONDecoder()
    at = 0
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        if at == len(text):
            return
        doc, end = dec.raw_decode(text, at)
        yield text.count("\n", 0, at) + 1, doc
        at = end


def check(validator, stream, path):
    """The errors of file path, as lines."""
    errors = []
    n = 0
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        for line, doc in documents(text):
            n += 1
            where = "%s:%d" % (path, line)
            if stream:
                header = isinstance(doc, dict) and "format" in doc
                if header != (n == 1):
                    errors.append("%s: %s" % (where, "the header line expected first" if n == 1
                                                      else "a second header line"))
            for e in validator.iter_errors(doc):
                at = "$" + "".join("[%r]" % p if isinstance(p, int) else ".%s" % p
                                   for p in e.absolute_path)
                errors.append("%s: %s: %s" % (where, at, e.message[:300]))
                if len(errors) >= 20:
                    return n, errors
    except ValueError as e:
        errors.append("%s: not JSON: %s" % (path, e))
    if not n:
        errors.append("%s: no JSON document" % path)
    return n, errors


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: schema-check.py SCHEMA FILE...\n")
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        stream = schema.get("$id", "").endswith(":sroscope-trace")
        ret = 0
        for path in argv[2:]:
            n, errors = check(validator, stream, path)
            if errors:
                print("FAIL: %s: %d documents, not valid against %s:" % (path, n, argv[1]))
                for e in errors:
                    print("  " + e)
                ret = 1
            else:
                print("ok: %s: %d documents valid against %s" % (path, n, argv[1]))
        return ret
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        sys.stderr.write("schema-check: %s\n" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
