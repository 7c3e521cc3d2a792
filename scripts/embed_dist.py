"""Writes the embed page (dist/embed.html) and its WebAssembly.

Run by scripts/build after the local build is split (scripts/split_dist.py), before
scripts/finish_dist.py, which finishes this page as it finishes index.html:

1. wasm-bindgen makes the bindings of `latitude-embed` (src/bin/latitude-embed.rs: the
   org map or scoreboard of a map or scoreboard link, without the app around it), and
   binaryen's wasm-opt optimises it. Both files are named by their content.
2. embed.html is Trunk's index.html with that WebAssembly in place of the app's: the
   same head (the stylesheets an embed uses, the start-up watch, the strict policy's
   needs) and loading text, and a start-up script in Trunk's form, which
   finish_dist.py moves to a file.

Usage: embed_dist.py ROOT DIST RAW_WASM. Prints the page's WebAssembly and bindings sizes.
"""
import gzip
import hashlib
import pathlib
import re
import subprocess
import sys
import tempfile

# The same WebAssembly features as the app's parts (scripts/ is this script's folder).
from split_dist import WASM_OPT_FEATURES

# The stylesheets (style/*.css) the embed page uses.
EMBED_STYLES = ["base", "boot", "charts", "share"]


def main() -> None:
    root, dist, raw = (pathlib.Path(a) for a in sys.argv[1:4])
    wasm_opt = root / "tools" / "node_modules" / ".bin" / "wasm-opt"
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp)
        subprocess.run(["wasm-bindgen", "--target", "web", "--no-typescript", "--out-dir", out, "--out-name", "embed", raw], check=True)
        subprocess.run([wasm_opt, "-Oz", *WASM_OPT_FEATURES, out / "embed_bg.wasm", "-o", out / "embed_bg.wasm"], check=True, stderr=subprocess.DEVNULL)
        wasm = (out / "embed_bg.wasm").read_bytes()
        js = (out / "embed.js").read_text(encoding="utf-8")
    stem = "embed-" + hashlib.sha256(wasm + js.encode()).hexdigest()[:16]
    # The bindings' own default address of the WebAssembly, kept true (the start-up
    # script names the file anyway).
    js = js.replace("'embed_bg.wasm'", f"'{stem}_bg.wasm'")
    for old in dist.glob("embed-*"):
        old.unlink()
    (dist / f"{stem}_bg.wasm").write_bytes(wasm)
    (dist / f"{stem}.js").write_text(js, encoding="utf-8")

    html = (dist / "index.html").read_text(encoding="utf-8")
    start = re.compile(r"<script type=\"module\">.*?</script>", re.S)
    if len(start.findall(html)) != 1:
        sys.exit("scripts/embed_dist.py: dist/index.html has no single inline start-up script (run it before finish_dist.py)")
    page = start.sub(
        lambda _: f"<script type=\"module\">\nimport init from './{stem}.js';\nawait init({{ module_or_path: './{stem}_bg.wasm' }});\n</script>",
        html,
    )
    # The app's bindings, its parts' loader and its WebAssembly are not this page's.
    page, dropped = re.subn(r"<link rel=\"(?:modulepreload|preload)\"[^>]*>\s*", "", page)
    if dropped < 2:
        sys.exit("scripts/embed_dist.py: dist/index.html no longer preloads the app's bindings and WebAssembly as expected")
    page = page.replace(
        "</head>",
        f"<link rel=\"modulepreload\" href=\"./{stem}.js\" crossorigin=\"anonymous\">"
        f"<link rel=\"preload\" href=\"./{stem}_bg.wasm\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\"></head>",
        1,
    )
    # Only the stylesheets an embed uses (the page's base, its loading text, charts, the
    # embed itself): a host that does not compress sends a third of the app's.
    sheet = re.compile(r"<link rel=\"stylesheet\" href=\"\./(\w+)-[0-9a-f]+\.css\"\s*/?>\s*")
    kept = [m.group(1) for m in sheet.finditer(page) if m.group(1) in EMBED_STYLES]
    if sorted(kept) != sorted(EMBED_STYLES):
        sys.exit(f"scripts/embed_dist.py: dist/index.html names the stylesheets {kept} of {EMBED_STYLES}")
    page = sheet.sub(lambda m: m.group(0) if m.group(1) in EMBED_STYLES else "", page)
    (dist / "embed.html").write_text(page, encoding="utf-8")
    print(f"embed: {stem}_bg.wasm {len(wasm):,} B raw, {len(gzip.compress(wasm, 9)):,} B gzip; bindings {len(js):,} B raw")


if __name__ == "__main__":
    main()
