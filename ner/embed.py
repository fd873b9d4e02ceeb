#!/usr/bin/env python3
"""Embed a data file as a C byte array: embed.py INPUT OUTPUT SYMBOL."""
import sys

src, dst, sym = sys.argv[1:4]
data = open(src, 'rb').read()
with open(dst, 'w') as out:
    out.write('/* generated from %s by ner/embed.py; do not edit */\n' % src.split('/')[-1])
    out.write('#include <stddef.h>\n')
    out.write('extern const unsigned char %s[];\nextern const size_t %s_len;\n' % (sym, sym))
    out.write('const unsigned char %s[] = {\n' % sym)
    for i in range(0, len(data), 16):
        out.write(''.join('%d,' % b for b in data[i:i + 16]) + '\n')
    out.write('0};\nconst size_t %s_len = %d;\n' % (sym, len(data)))
