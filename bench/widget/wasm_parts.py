#!/usr/bin/env python3
"""Where the widget's WASM bytes go: relinks a language's module (chat-core-fr by
default) with function names (--profiling-funcs, same flags otherwise) and sums code
size by origin.

    NODE_PATH=/usr/share/nodejs python3 bench/widget/wasm_parts.py   (after the wasm build)

CHAT_WASM_BUILD=<dir> reads another build tree than build/wasm; `--top N` also lists
the N biggest functions; `--lang en` reads the English module.
"""
import collections, gzip, os, re, subprocess, sys, tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '../..'))
BUILD = os.path.abspath(os.environ.get('CHAT_WASM_BUILD', os.path.join(REPO, 'build/wasm')))
GROUPS = [  # first match wins
    ('nlohmann/json DOM (objects, arrays; built by chat_shared\'s reader)', r'nlohmann'),
    ('widget core + browser layer', r'widget'),
    ('chat_shared (codecs, validation, JSON reader)', r'^chat::'),
    ('libc++ std::string', r'basic_string'),
    # Both were pulled by nlohmann's parser, which the WASM build no longer uses.
    ('libc printf', r'printf|fmt_|pop_arg|sn_write|^out$|wctomb'),
    ('libc float parsing, long double', r'tf2|tf3|scan|strtox|shgetc|fmodl|scalbn|frexp|floatsitf'),
    ('embind + RTTI', r'emscripten|embind|__cxxabiv1|typeinfo'),
    ('emmalloc', r'emmalloc|claim_more_memory|attempt_allocate|^free$|^malloc$'),
]


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80:
            return r, i


def functions(wasm):
    """(size, name) of every function body, names from the name section."""
    i, imported, names, code = 8, 0, {}, None
    while i < len(wasm):
        sid = wasm[i]; size, i = leb(wasm, i + 1); body = wasm[i:i + size]
        if sid == 2:  # imports: count functions, they come first in the index space
            n, j = leb(body, 0)
            for _ in range(n):
                for _ in range(2):
                    l, j = leb(body, j); j += l
                kind = body[j]; j += 1
                if kind == 0: _, j = leb(body, j); imported += 1
                elif kind == 1: j += 1; f, j = leb(body, j); j = leb(body, j)[1] if f & 1 else j
                elif kind == 2: f, j = leb(body, j); j = leb(body, j)[1] if f & 1 else j
                elif kind == 3: j += 2
        elif sid == 10:
            code = body
        elif sid == 0:
            l, j = leb(body, 0)
            if body[j:j + l] == b'name':
                j += l
                while j < len(body):
                    sub = body[j]; ss, j = leb(body, j + 1)
                    if sub == 1:
                        n, k = leb(body, j)
                        for _ in range(n):
                            idx, k = leb(body, k); l2, k = leb(body, k)
                            names[idx] = body[k:k + l2].decode('utf8', 'replace'); k += l2
                    j += ss
        i += size
    n, j = leb(code, 0)
    out = []
    for f in range(n):
        s, j2 = leb(code, j); out.append((s, names.get(f + imported, '?'))); j = j2 + s
    return out


def main():
    ninja = open(os.path.join(BUILD, 'build.ninja')).read()
    lang = sys.argv[sys.argv.index('--lang') + 1] if '--lang' in sys.argv else 'fr'
    m = re.search(rf'build widget/chat-core-{lang}\.js: \S+ (.*?)\|.*?\n\s+FLAGS = .*?\n\s+LINK_FLAGS = (.*?)\n\s+LINK_LIBRARIES = (.*?)\n', ninja, re.S)
    objs, flags, libs = m.group(1).split(), m.group(2).split(), m.group(3).split()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'p.js')
        subprocess.run(['em++', *flags, '--profiling-funcs', *objs, *libs, '-o', out], cwd=BUILD, check=True,
                       env={**os.environ, 'NODE_PATH': '/usr/share/nodejs'})
        funcs = functions(open(out[:-3] + '.wasm', 'rb').read())
    shipped = open(os.path.join(BUILD, f'widget/chat-core-{lang}.wasm'), 'rb').read()
    sums = collections.Counter()
    for size, name in funcs:
        group = next((g for g, rx in GROUPS if re.search(rx, name)), 'other (libc++, libc)')
        sums[group] += size
    total = sum(sums.values())
    print(f'chat-core-{lang}.wasm: {len(shipped)} bytes, {len(gzip.compress(shipped, 9))} gzipped; code {total} bytes:')
    for group, size in sums.most_common():
        print(f'  {size:7d}  {100 * size / total:4.1f}%  {group}')
    if '--top' in sys.argv:
        for size, name in sorted(funcs, reverse=True)[:int(sys.argv[sys.argv.index('--top') + 1])]:
            print(f'  {size:7d}  {name}')


if __name__ == '__main__':
    sys.exit(main())
