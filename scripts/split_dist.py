"""Splits the app's WebAssembly in dist/ into parts loaded by view (src/ui/parts.rs).

Run by scripts/build after `trunk build --release`, before finish_dist.py:

1. `wasm-split-cli` cuts cargo's raw wasm (linked with `--emit-relocs`) at the split
   points: a main module (shell, storage, scoring core), one module per view, and
   chunks of code that several views share.
2. wasm-bindgen makes the main module's bindings with `--keep-lld-exports` (the parts
   import the main module's memory and table), under the names Trunk gave the page,
   so index.html is unchanged; binaryen's wasm-opt then optimises every module.
3. Packs: a view needs its own module and up to eighty small chunks. Fetched one by
   one that is eighty requests, so the modules are packed (COMMON and SHARED below),
   and a view fetches its own pack plus the packs holding its other chunks. The loader (`parts-<hash>.js`) is
   rewritten to read modules out of packs. Packs and loader are named by their content.

Prints each pack's size and what each view's first open downloads.
"""
import base64
import gzip
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

# The views, each a split point of src/ui/parts.rs.
ORDER = ["embed", "overview", "unit", "todo", "checkins", "units", "decisions", "settings", "workshop"]
# How chunks are packed: the embed's pack holds every chunk the embed needs (an embed
# fetches nothing else); a chunk one view needs goes into that view's pack; a chunk the
# overview shares with later views into COMMON, and one only later views share into
# SHARED. The overview's first view fetches the embed's pack, COMMON and its own; a
# later view, opened first or after, the embed's, COMMON, SHARED and its own: never
# another view's pack.
COMMON = "common"
SHARED = "shared"
WASM_OPT_FEATURES = ["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
                     "--enable-reference-types", "--enable-multivalue"]


# The loader's reading of packs. A pack is fetched as `<pack>.gz` and unpacked; a host
# that sent it with Content-Encoding has had it unpacked already, which fails the .gz's
# integrity check, and then (as without DecompressionStream) the plain pack is fetched.
PACK_READER = """const packs = new Map();
function fetchChecked(pack, integrity) {
    return fetch(new URL('./' + pack, import.meta.url), { integrity }).then((r) => {
        if (!r.ok) throw new Error(`${pack}: HTTP ${r.status}`);
        return r;
    });
}
function fetchPack(pack) {
    const [plain, packed] = INTEGRITY[pack];
    const fetchPlain = () => fetchChecked(pack, plain).then((r) => r.arrayBuffer());
    if (typeof DecompressionStream !== 'function') return fetchPlain();
    return fetchChecked(pack + '.gz', packed)
        .then((r) => new Response(r.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer())
        .catch(fetchPlain);
}
function __part(name) {
    const [pack, offset, length] = PARTS[name];
    let bytes = packs.get(pack);
    if (bytes === undefined) {
        bytes = fetchPack(pack);
        packs.set(pack, bytes);
        bytes.catch(() => { if (packs.get(pack) === bytes) packs.delete(pack); });
    }
    return bytes.then((b) => new Response(b.slice(offset, offset + length), { headers: { 'Content-Type': 'application/wasm' } }));
}
"""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def sri(data: bytes) -> str:
    """A subresource-integrity hash: the browser refuses a file whose bytes differ."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def main() -> None:
    root, dist, raw = (pathlib.Path(a) for a in sys.argv[1:4])
    tools = root / "tools"
    split_cli = tools / "wasm-split" / "bin" / "wasm-split-cli"
    wasm_opt = tools / "node_modules" / ".bin" / "wasm-opt"
    [main_js] = [p for p in dist.glob("latitude-*.js") if not p.name.endswith(".min.js")]
    stem = main_js.stem
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp)
        subprocess.run([split_cli, raw, out / "split", "--out-name", stem], check=True)
        split = out / "split"
        subprocess.run(["wasm-bindgen", "--target", "web", "--keep-lld-exports", "--no-typescript",
                        "--out-dir", out / "bg", "--out-name", stem, split / f"{stem}.wasm"], check=True)
        modules = [out / "bg" / f"{stem}_bg.wasm"] + sorted(split.glob("*.wasm"))
        modules = [m for m in modules if m.name != f"{stem}.wasm"]
        # wasm-opt on each module, two at a time (the build machines have two cores).
        procs = []
        for m in modules:
            procs.append(subprocess.Popen([wasm_opt, "-Oz", *(["-g"] if os.environ.get("LATITUDE_NAMES") else []), *WASM_OPT_FEATURES, m, "-o", m], stderr=subprocess.DEVNULL))
            if len(procs) == 2:
                for p in procs:
                    if p.wait():
                        sys.exit(f"wasm-opt failed on a part of {stem}")
                procs = []
        for p in procs:
            if p.wait():
                sys.exit(f"wasm-opt failed on a part of {stem}")

        loader = (split / "__wasm_split.js").read_text(encoding="utf-8")
        # Each view's loader: `export const __wasm_split_load_<view> = … makeLoad(() => {
        # … "./split_<view>.wasm" … }, [__chunk_1, …])`.
        views = {}
        for m in re.finditer(r"export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(\(\) => \{.*?\n, \[([^\]]*)\]\)\);", loader, re.S):
            views[m.group(1)] = [d.strip().replace("__chunk_", "chunk_") for d in m.group(2).split(",") if d.strip()]
        unknown = set(views) - set(ORDER)
        if unknown or set(ORDER) - set(views):
            sys.exit(f"scripts/split_dist.py: the views in ORDER do not match the split points: {sorted(unknown) or sorted(set(ORDER) - set(views))}")
        home = {f"split_{view}": view for view in ORDER}
        needers = {}
        for view in ORDER:
            for chunk in views[view]:
                needers.setdefault(chunk, set()).add(view)
        for chunk, needed_by in needers.items():
            if "embed" in needed_by:
                home[chunk] = "embed"
            elif len(needed_by) == 1:
                home[chunk] = next(iter(needed_by))
            elif "overview" in needed_by:
                home[chunk] = COMMON
            else:
                home[chunk] = SHARED
        packs = {view: [] for view in ORDER + [COMMON, SHARED]}
        for name, view in home.items():
            packs[view].append(name)
        packs = {view: names for view, names in packs.items() if names}
        index = {}
        integrity = {}
        pack_names = {}
        sizes = {}
        for view, names in packs.items():
            blob = bytearray()
            entries = {}
            for name in sorted(names):
                data = (split / f"{name}.wasm").read_bytes()
                entries[name] = (len(blob), len(data))
                blob += data
            # `.wasm`: hosts serve it as application/wasm, which they compress (few
            # compress application/octet-stream); it holds WebAssembly modules end to end.
            pack_name = f"part-{view}-{digest(bytes(blob))}.wasm"
            (dist / pack_name).write_bytes(bytes(blob))
            # Compressed beside it, fetched where the browser can unpack it: a host that
            # does not compress then sends a third of the bytes.
            packed = gzip.compress(bytes(blob), 9, mtime=0)
            (dist / (pack_name + ".gz")).write_bytes(packed)
            integrity[pack_name] = [sri(bytes(blob)), sri(packed)]
            pack_names[view] = pack_name
            sizes[view] = (len(blob), len(packed))
            for name, (offset, length) in entries.items():
                index[name] = [pack_name, offset, length]
        # Every module the loader fetches is read out of its pack instead.
        fetched = re.compile(r'fetch\(new URL\("\./(\w+)\.wasm", import\.meta\.url\)\)')
        missing = {n for n in fetched.findall(loader)} - set(index)
        if missing:
            sys.exit(f"scripts/split_dist.py: modules without a pack: {sorted(missing)}")
        reader = (
            "// Generated by scripts/split_dist.py: modules are read out of packs, each pack\n"
            "// fetched once, compressed (.gz) where the browser can unpack it, and checked\n"
            "// against its integrity hash; a failed fetch is forgotten so that a retry\n"
            "// fetches again.\n"
            f"const PARTS = {json.dumps(index, sort_keys=True)};\n"
            f"const INTEGRITY = {json.dumps(integrity, sort_keys=True)};\n"
            + PACK_READER
        )
        loader = fetched.sub(lambda m: f'__part("{m.group(1)}")', loader)
        # A failed load is the view's to report (with a retry); the idle prefetch cut off
        # by leaving the page is no error at all. A warning keeps the cause for developers.
        if loader.count("console.error(e);") != 1:
            sys.exit("scripts/split_dist.py: the loader's error report changed: check wrapAsyncCb")
        loader = loader.replace("console.error(e);", "console.warn('A part of Latitude could not be loaded:', e);")
        imports_end = loader.index("\n", loader.index("import {")) + 1
        loader = loader[:imports_end] + reader + loader[imports_end:]
        # Not "wasm" in the name: the start-up watch (static/boot.js) reads a refused URL
        # with "wasm" in it as WebAssembly refused.
        loader_name = f"parts-{digest(loader.encode())}.js"
        (dist / loader_name).write_text(loader, encoding="utf-8")
        # The JS module imports the loader under its new name; the wasm's import object
        # keeps the name the wasm asks for.
        js = (out / "bg" / f"{stem}.js").read_text(encoding="utf-8").replace('from "./__wasm_split.js"', f'from "./{loader_name}"')
        main_js.write_text(js, encoding="utf-8")
        shutil.copyfile(out / "bg" / f"{stem}_bg.wasm", dist / f"{stem}_bg.wasm")

    # The loader is imported by the bindings: fetch it with them, not after them.
    index_html = dist / "index.html"
    html = index_html.read_text(encoding="utf-8")
    preload = f'<link rel="modulepreload" href="./{main_js.name}"'
    if preload not in html:
        sys.exit("dist/index.html has no modulepreload for the bindings")
    html = html.replace(preload, f'<link rel="modulepreload" href="./{loader_name}" crossorigin="anonymous">\n    {preload}', 1)
    index_html.write_text(html, encoding="utf-8")

    main_wasm = (dist / f"{stem}_bg.wasm").read_bytes()
    print(f"split: main {len(main_wasm):,} B raw, {gz(main_wasm):,} B gzip; loader {loader_name}")
    for view in [v for v in [*ORDER, COMMON, SHARED] if v in sizes]:
        raw_size, gz_size = sizes[view]
        if view in (COMMON, SHARED):
            whose = "the overview and later views" if view == COMMON else "later views"
            print(f"split: {view:10} pack {raw_size:9,} B raw {gz_size:8,} B gzip; code {whose} share, fetched with the first of them")
            continue
        needs = sorted({index[n][0] for n in [f"split_{view}", *views[view]]})
        first = sum(sizes[p.split("-")[1]][1] for p in needs)
        print(f"split: {view:10} pack {raw_size:9,} B raw {gz_size:8,} B gzip; first open fetches {len(needs)} pack(s), {first:,} B gzip")


if __name__ == "__main__":
    main()
