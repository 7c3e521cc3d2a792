"""Finishes the Trunk builds in dist/ (the local build) and dist/team/ (the team build,
when there) for strict hosting and offline use.

For each page (index.html, and the embed page embed.html where scripts/embed_dist.py
wrote it):
1. Moves Trunk's inline start-up script into a file, so the page runs under a
   Content-Security-Policy with no 'unsafe-inline' (script-src 'self'). The
   WebAssembly is also written gzip-compressed (`…_bg.wasm.gz`), and the start-up
   script fetches that file and unpacks it as it arrives: a host that does not
   compress (a plain static server, some object stores) then sends a third of the
   plain file. A browser without `DecompressionStream` fetches the plain file.
2. Joins the stylesheets (one per component in the source) into one file, in their
   order: one render-blocking request instead of thirteen on a slow connection.
3. Checks the start-up watch (boot.js) ships with the page.
4. Minifies the page's JavaScript and CSS with esbuild (from scripts/setup): half
   the bytes on a host that does not compress, a fifth less gzip.
Then:
5. Writes sw.js, a service worker that caches exactly this build's files, both pages'
   (the team build is in its scope), under a name derived from their contents: a new
   build installs a new cache whole, then removes the old one, so files of two builds
   are never mixed.
"""
import gzip
import hashlib
import json
import pathlib
import re
import subprocess
import sys

dist = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
# plotters measures text with a span whose style it sets as an attribute. A strict CSP
# (style-src 'self') refuses style attributes, so route them through CSSOM, which the
# policy allows; everything else is untouched.
SHIM = """const setAttribute = Element.prototype.setAttribute;
Element.prototype.setAttribute = function (name, value) {
  if (typeof name === 'string' && name.toLowerCase() === 'style' && this.style) {
    this.style.cssText = String(value);
    return;
  }
  return setAttribute.call(this, name, value);
};
"""
# The WebAssembly, sent compressed whatever the host does (see step 1). `packed` is the
# compressed file's address, `plain` the plain one's.
UNPACK = """// Fetches the compressed WebAssembly and unpacks it while it downloads. A host that
// sent the file with Content-Encoding has had it unpacked by the browser already (no
// gzip header then); a host without the file, or a browser without
// DecompressionStream, gets the plain file.
// The file fetched is named in `latitudeWasmUrl` for the start-up watch (boot.js).
function wasmSource(packed, plain) {
  const using = (path) => { window.latitudeWasmUrl = new URL(path, document.baseURI).href; return path; };
  if (typeof DecompressionStream !== 'function' || typeof ReadableStream !== 'function') return using(plain);
  return fetch(using(packed)).then(async (response) => {
    if (!response.ok || !response.body) return fetch(using(plain));
    const reader = response.body.getReader();
    // gzip's header starts with two bytes: a first chunk shorter than that is joined
    // to the next before the header is read.
    let first = await reader.read();
    while (!first.done && first.value.length < 2) {
      const next = await reader.read();
      if (next.done) break;
      const joined = new Uint8Array(first.value.length + next.value.length);
      joined.set(first.value);
      joined.set(next.value, first.value.length);
      first = { done: false, value: joined };
    }
    const rest = new ReadableStream({
      start(c) { if (!first.done) c.enqueue(first.value); },
      async pull(c) { const next = await reader.read(); if (next.done) c.close(); else c.enqueue(next.value); },
      cancel(reason) { return reader.cancel(reason); },
    });
    const packedHere = !first.done && first.value[0] === 0x1f && first.value[1] === 0x8b;
    const body = packedHere ? rest.pipeThrough(new DecompressionStream('gzip')) : rest;
    return new Response(body, { headers: { 'Content-Type': 'application/wasm' } });
  });
}
"""


def pack_wasm(folder: pathlib.Path, html: str) -> str:
    """Writes the page's WebAssembly gzip-compressed beside it, and has the page preload
    that file instead of the plain one."""
    for wasm in folder.glob("*_bg.wasm"):
        (folder / (wasm.name + ".gz")).write_bytes(gzip.compress(wasm.read_bytes(), 9, mtime=0))
        html = html.replace(f'href="./{wasm.name}" crossorigin="anonymous" as="fetch" type="application/wasm"', f'href="./{wasm.name}.gz" crossorigin="anonymous" as="fetch"')
    return html


def finish_page(folder: pathlib.Path, page: str = "index.html") -> list:
    """Steps 1-3 for a page in `folder`; returns the stylesheets it joined, which the
    folder's pages share and which are removed once every page is finished."""
    index = folder / page
    html = index.read_text(encoding="utf-8")

    inline = re.compile(r"<script type=\"module\">(.*?)</script>", re.S)
    match = inline.search(html)
    if match:
        start = re.sub(r"init\(\{ module_or_path: '(\./[^']+_bg\.wasm)' \}\)", r"init({ module_or_path: wasmSource('\1.gz', '\1') })", match.group(1).strip())
        if "wasmSource(" not in start:
            sys.exit(f"{index}: Trunk's start-up script no longer loads the WebAssembly as expected: {start}")
        html = pack_wasm(folder, html)
        if ".wasm.gz\" crossorigin" not in html:
            sys.exit(f"{index}: the page does not preload the compressed WebAssembly")
        code = SHIM + UNPACK + start + "\n"
        name = "start-" + hashlib.sha256(code.encode()).hexdigest()[:16] + ".js"
        (folder / name).write_text(code, encoding="utf-8")
        html = inline.sub(f'<script type="module" src="./{name}"></script>', html, count=1)
        index.write_text(html, encoding="utf-8")
    links = re.compile(r'<link rel="stylesheet" href="\./([^"]+\.css)"\s*/?>\s*')
    sheets = links.findall(html)
    joined_sheets = sheets if len(sheets) > 1 else []
    if len(sheets) > 1:
        css = "".join(f"/* {name} */\n" + (folder / name).read_text(encoding="utf-8").strip() + "\n" for name in sheets)
        joined = "app-" + hashlib.sha256(css.encode()).hexdigest()[:16] + ".css"
        (folder / joined).write_text(css, encoding="utf-8")
        first = links.search(html)
        html = html[: first.start()] + f'<link rel="stylesheet" href="./{joined}"/>\n    ' + links.sub("", html[first.start():])
        index.write_text(html, encoding="utf-8")
    if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) or re.search(r"\sstyle=\"", html) or "<style" in html:
        sys.exit(f"{index} still has inline script or style: the strict CSP would block it")
    # The start-up watch turns "Loading…" into a message with a link when the app cannot
    # start (an embed whose script is blocked, an old browser); it must ship with the page.
    if 'src="./boot.js"' not in html or not (folder / "boot.js").is_file():
        sys.exit(f"{folder}/boot.js is missing: a frame that cannot start would show Loading… forever")
    return joined_sheets


ESBUILD = pathlib.Path(__file__).resolve().parent.parent / "tools" / "node_modules" / ".bin" / "esbuild"


def minify(folder: pathlib.Path) -> None:
    """Step 4, in place: names stay as they are (index.html and the loader refer to
    them). boot.js is a classic script in ES5, so that it can still say why the app
    cannot start in a browser too old for it: it stays ES5. The modules stay within
    ES2022, as the start-up script already is (it awaits at its top level)."""
    for f in sorted([*folder.glob("*.js"), *folder.glob("*.css")]):
        if f.name == "boot.js":
            kind = ["--target=es5"]
        elif f.suffix == ".js":
            kind = ["--format=esm", "--target=es2022"]
        else:
            kind = []
        run = subprocess.run([ESBUILD, f, "--minify", *kind, "--log-level=error", "--allow-overwrite", f"--outfile={f}"],
                             capture_output=True, text=True)
        if run.returncode:
            sys.exit(f"esbuild could not minify {f}: {run.stderr.strip()}")


def finish_folder(folder: pathlib.Path) -> None:
    """Every page of a build's folder, then its files minified."""
    sheets = set(finish_page(folder))
    if (folder / "embed.html").is_file():
        sheets |= set(finish_page(folder, "embed.html"))
    for name in sheets:
        (folder / name).unlink()
    minify(folder)


def first_load(folder: pathlib.Path, page: str) -> int:
    """What a page downloads before it shows anything of its own, gzip: the files its
    HTML names (the WebAssembly as its .gz), and the modules its start-up script imports
    (the bindings import the parts' loader)."""
    html = (folder / page).read_text(encoding="utf-8")
    names = set(re.findall(r'(?:src|href)="\./([^"]+\.(?:js|css|wasm\.gz))"', html))
    for name in list(names):
        if name.endswith(".js"):
            names |= set(re.findall(r'from\s*"\./([^"]+\.js)"', (folder / name).read_text(encoding="utf-8")))
    return sum(len(gzip.compress((folder / n).read_bytes(), 9)) if not n.endswith(".gz") else (folder / n).stat().st_size for n in names)


finish_folder(dist)
if (dist / "team" / "index.html").is_file():
    finish_folder(dist / "team")
for page in ["index.html", "embed.html"]:
    if (dist / page).is_file():
        print(f"dist: {page} downloads {first_load(dist, page):,} B gzip before its first view's parts")

files = sorted(p for p in dist.rglob("*") if p.is_file() and p != dist / "sw.js")
digest = hashlib.sha256()
for p in files:
    digest.update(p.relative_to(dist).as_posix().encode())
    digest.update(p.read_bytes())
version = digest.hexdigest()[:16]
team = dist / "team"
# The plain WebAssembly (the main module and the packs of parts) is fetched only by a
# browser that cannot unpack the compressed one: cached as fetched, not on install.
plain = [p for p in files if p.name.endswith(".wasm") and p.with_name(p.name + ".gz").is_file()]
local_files = ["./"] + [f"./{p.relative_to(dist).as_posix()}" for p in files if team not in p.parents and p not in plain]
team_files = (["./team/"] + [f"./{p.relative_to(dist).as_posix()}" for p in files if team in p.parents and p not in plain]) if (team / "index.html").is_file() else []
plain_files = [f"./{p.relative_to(dist).as_posix()}" for p in plain]
sw = f"""// Offline copy of one build of Latitude ({version}). Generated by scripts/finish_dist.py.
// The local build's files are cached on install. The team build's (team/) are cached
// as a page fetches them, and on install only where team workspaces are used: a browser
// with local workspaces only never downloads them. The plain WebAssembly (PLAIN), which
// only a browser that cannot unpack the compressed one asks for, is cached as fetched.
const CACHE = 'latitude-{version}';
const FILES = {json.dumps(local_files)};
const TEAM = {json.dumps(team_files)};
const PLAIN = {json.dumps(plain_files)};
const TEAM_URLS = new Set(TEAM.map((f) => new URL(f, self.location).href));
const AS_FETCHED = new Set(TEAM.concat(PLAIN).map((f) => new URL(f, self.location).href));

// Team workspaces are used here: an earlier version's cache holds the team build, or a
// page of the team build is open (it registered this worker).
function usesTeam() {{
  const cached = caches.keys().then((keys) =>
    Promise.all(keys.filter((k) => k.startsWith('latitude-') && k !== CACHE).map((k) => caches.open(k).then((c) => c.match('./team/'))))
  );
  const open = self.clients.matchAll({{ type: 'window', includeUncontrolled: true }}).then((pages) => pages.map((p) => TEAM_URLS.has(new URL('./', p.url).href)));
  return Promise.all([cached, open]).then(([a, b]) => a.concat(b).some(Boolean));
}}

self.addEventListener('install', (event) => {{
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(FILES).then(() => usesTeam()).then((team) => (team ? cache.addAll(TEAM) : null)))
      .then(() => self.skipWaiting())
  );
}});

self.addEventListener('activate', (event) => {{
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('latitude-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
}});

self.addEventListener('fetch', (event) => {{
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  url.search = '';
  url.hash = '';
  const keep = AS_FETCHED.has(url.href);
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(request, {{ ignoreSearch: true }}).then((hit) =>
        hit ||
        fetch(request)
          .then((response) => {{
            if (keep && response.ok) cache.put(url.href, response.clone());
            return response;
          }})
          .catch(() => (request.mode === 'navigate' ? cache.match(url.pathname.endsWith('/team/') || url.pathname.endsWith('/team/index.html') ? './team/' : './') : Response.error()))
      )
    )
  );
}});
"""
(dist / "sw.js").write_text(sw, encoding="utf-8")
print(f"dist: start-up script external, service worker for build {version} ({len(local_files)} files on install, {len(team_files)} of the team build as used)")
