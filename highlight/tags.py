"""The finishing pass over ReportLab's PDF: structure tree, identity, metadata (pdfobjects.py; ReportLab has no API).

The renderer wrote every operator inside marked content (an MCID owned by a
structure element, or an Artifact); this pass writes the tree those MCIDs
belong to (StructTreeRoot, ParentTree, MarkInfo, StructParents, /Tabs /S,
link annotations with /Contents and a Link element), and the file's identity:
XMP (dc:title, dc:description, dc:language, xmpMM DocumentID, InstanceID,
VersionID, RenditionClass, MetadataDate, pdfuaid:part 1, and the PDF/X keys
for print), an Info dictionary that agrees with it and holds no empty
strings, subset tags from a hash of each subset's glyphs (ISO 32000-1
§9.6.4: no tag names two subsets), no /Trans, and a file /ID from a hash of
the content, so print, screen and single-language files differ while two
builds of one stay byte-identical.
"""
from __future__ import annotations

import hashlib
import time

from .structure import Element, Marked

ATTRIBUTE_OWNER = "Table"


def escape(text: str) -> str:
    """XML character data as lxml writes it (xml.sax.saxutils would import urllib.request: 14 ms)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _uuid(digest: bytes) -> str:
    h = digest[:16].hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _iso(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def subset_tag(digest: bytes) -> str:
    """Six capital letters from a digest (ISO 32000-1 §9.6.4)."""
    n = int.from_bytes(digest[:8], "big")
    letters = []
    for _ in range(6):
        n, r = divmod(n, 26)
        letters.append(chr(65 + r))
    return "".join(letters)


def finish_pdf(data: bytes, plans: list, options) -> bytes:
    """ReportLab's PDF with its structure tree and identity, written again (pdfobjects.write: every object
    reached from the trailer, renumbered in the order met, the non-stream ones in compressed object streams)."""
    return write_finished(finished(data, plans, options))


def write_finished(pdf) -> bytes:
    from .pdfobjects import write

    return write(pdf, file_id=pdf.file_id)


def finished(data, plans: list, options):
    """The finished file as pdfobjects' objects, not yet written (the build's preflight reads it as it is): from
    ReportLab's file `data`, or from its objects as pdfobjects reads that file (render._DirectObjects)."""
    from .pdfobjects import Dictionary, Name, String, open_pdf

    screen = options.target == "screen"
    pdf = open_pdf(data) if isinstance(data, bytes) else data
    root = pdf.Root
    pages = pdf.pages
    content = hashlib.sha256()
    for page in pages:
        contents = page.obj["/Contents"]
        for stream in (contents if isinstance(contents, list) else [contents]):
            content.update(stream.read_raw_bytes())
    _subset_tags(pdf, content)
    tree = _structure_tree(pdf, pages, plans, options)
    root["/StructTreeRoot"] = tree
    root["/MarkInfo"] = Dictionary({"/Marked": True})
    root["/Lang"] = String(options.languages[0])
    root["/ViewerPreferences"] = Dictionary({"/DisplayDocTitle": True})
    if screen:
        root["/PageMode"] = Name("/UseOutlines")
    document_id = _identity(pdf, options, content, screen)
    _single_filters(pdf)
    pdf.file_id = document_id[:16]
    return pdf


def _structure_tree(pdf, pages: list, plans: list, options):
    """The StructTreeRoot: a Document of each page's Sect (structure.py's elements, each with its MCIDs and,
    for a QR code's Figure, its Link), and the parent tree from each page's MCIDs back to their elements."""
    from .pdfobjects import Array, Dictionary, Name, String

    tree = pdf.make_indirect(Dictionary({"/Type": Name("/StructTreeRoot")}))
    document = pdf.make_indirect(Dictionary({"/Type": Name("/StructElem"), "/S": Name("/Document"), "/P": tree,
                                             "/Lang": String(options.languages[0])}))
    tree["/K"] = Array([document])
    parents: dict = {}  # page index -> {mcid: element}
    numbers = []
    next_key = len(pages)

    page_objs = [page.obj for page in pages]
    struct_elem = Name("/StructElem")
    kinds: dict[str, Name] = {}
    links: dict[int, list] = {}  # page index -> [(url, annotation)]
    for index, page in enumerate(page_objs):
        for annot in page.get("/Annots") or []:
            action = annot.get("/A")
            if annot.get("/Subtype") == "/Link" and action is not None:
                links.setdefault(index, []).append((str(action.get("/URI", "")), annot))

    def write(element: Element, parent, page_index: int):
        nonlocal next_key
        keys = {"/Type": struct_elem, "/P": parent}
        kind = kinds.get(element.kind)
        if kind is None:
            kind = kinds[element.kind] = Name("/" + element.kind)
        keys["/S"] = kind
        if element.lang:
            keys["/Lang"] = String(element.lang)
        if element.alt is not None:
            keys["/Alt"] = String(element.alt)
        if element.title:
            keys["/T"] = String(element.title)
        if element.note_id:
            keys["/ID"] = String(element.note_id)
        if element.scope:
            keys["/A"] = Dictionary({"/O": Name("/" + ATTRIBUTE_OWNER), "/Scope": Name("/" + element.scope)})
        marked = [c for c in element.children if isinstance(c, Marked)]
        if marked:
            keys["/Pg"] = page_objs[marked[0].page]
        obj = pdf.make_indirect(Dictionary(keys))
        kids: list = []
        for child in element.children:
            if isinstance(child, Marked):
                kids.append(child.mcid)
                parents.setdefault(child.page, {})[child.mcid] = obj
            else:
                kids.append(write(child, obj, page_index))
        if element.kind == "Figure" and element.url:
            for url, annot in links.get(page_index, []):
                if url == element.url:
                    page = page_objs[page_index]
                    link = pdf.make_indirect(Dictionary({"/Type": struct_elem, "/S": Name("/Link"), "/P": obj,
                                                         "/Pg": page}))
                    link["/K"] = Array([Dictionary({"/Type": Name("/OBJR"), "/Obj": annot, "/Pg": page})])
                    annot["/Contents"] = String(element.alt or element.url)
                    link["/Alt"] = annot["/Contents"]
                    annot["/F"] = 4  # printable, so print and screen show the same
                    annot["/StructParent"] = next_key
                    numbers.append((next_key, link))
                    next_key += 1
                    kids.append(link)
        obj["/K"] = kids[0] if len(kids) == 1 and isinstance(kids[0], int) else Array(kids)
        return obj

    sects = Array()
    for index, plan in enumerate(plans):
        sects.append(write(plan.sect, document, index))
    document["/K"] = sects
    nums = Array()
    for index, page in enumerate(page_objs):
        page["/StructParents"] = index
        page["/Tabs"] = Name("/S")
        page.pop("/Trans", None)
        marks = parents.get(index, {})
        nums.append(index)
        nums.append(pdf.make_indirect(Array([marks[m] for m in range(max(marks) + 1)] if marks else [])))
    for key, link in numbers:
        nums.append(key)
        nums.append(link)
    tree["/ParentTree"] = pdf.make_indirect(Dictionary({"/Nums": nums}))
    tree["/ParentTreeNextKey"] = next_key
    tree["/RoleMap"] = Dictionary()
    return tree


def _identity(pdf, options, content, screen: bool) -> bytes:
    """The document's identity: its Info cleaned, its XMP metadata; returns the /ID's first half's digest
    (it names the document; the second, written by pdfobjects.write, digests the file's objects)."""
    from .pdfobjects import Name, Stream, String

    variant = f"{options.target}|{'+'.join(options.languages)}|{options.variant}"
    content.update(variant.encode())
    document_id = hashlib.sha256(f"highlight|{options.edition}|{options.title}|{variant}".encode()).digest()
    instance_id = content.digest()
    info = pdf.docinfo
    for name in list(info.keys()):
        value = info[name]
        if isinstance(value, String) and not str(value).strip():
            del info[name]  # an empty Author or Keywords says nothing and disagrees with the XMP
    if options.profile is None or screen:
        for name in ("/GTS_PDFXVersion", "/Trapped"):
            info.pop(name, None)
    metadata = pdf.make_indirect(Stream({"/Type": Name("/Metadata"), "/Subtype": Name("/XML")}))
    metadata.raw = _xmp(options, info, document_id, instance_id).encode("utf-8")
    pdf.Root["/Metadata"] = metadata
    return document_id


def _single_filters(pdf) -> None:
    """ReportLab writes most filters as a one-element array: written as the name alone."""
    from .pdfobjects import Stream

    for obj in pdf.objects:
        if isinstance(obj, Stream):
            filters = obj.get("/Filter")
            if isinstance(filters, list) and len(filters) == 1:
                obj["/Filter"] = filters[0]


def _subset_tags(pdf, content) -> None:
    """Each subset's tag from a hash of its glyphs (the embedded font program and its character map)."""
    from .pdfobjects import Name

    seen: dict = {}
    for page in pdf.pages:
        fonts = (page.obj.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            key = id(font)
            if key in seen:
                continue
            name = str(font.get("/BaseFont", ""))
            if len(name) < 9 or name[7] != "+":
                continue
            descriptor = font.get("/FontDescriptor")
            digest = hashlib.sha256(name[8:].encode())
            if descriptor is not None and "/FontFile2" in descriptor:
                digest.update(descriptor["/FontFile2"].read_raw_bytes())
            if "/ToUnicode" in font:
                digest.update(font["/ToUnicode"].read_raw_bytes())
            tag = subset_tag(digest.digest())
            while tag in seen.values():  # two subsets never share a tag, whatever the hash says
                tag = subset_tag(hashlib.sha256(tag.encode() + digest.digest()).digest())
            seen[key] = tag
            new = Name("/" + tag + "+" + name[8:])
            font["/BaseFont"] = new
            if descriptor is not None:
                descriptor["/FontName"] = new


def _xmp(options, info, document_id: bytes, instance_id: bytes) -> str:
    def text(key: str) -> str:  # (a text string's; pikepdf's String or pdfobjects' both give it as str())
        value = info.get(key)
        return str(value) if value is not None and not isinstance(value, (bool, int, float, list, dict)) else ""

    title, subject, author = text("/Title"), text("/Subject"), text("/Author")
    keywords = text("/Keywords")
    languages = "".join(f"<rdf:li>{escape(lang)}</rdf:li>" for lang in options.languages)
    screen = options.target == "screen"
    pdfx = options.profile is not None and not screen
    date = _iso(options.date_epoch)
    lines = [
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>',
    ]
    if subject:
        lines.append(f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li>'
                     "</rdf:Alt></dc:description>")
    if author:
        lines.append(f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>")
    if keywords:
        lines.append(f"<pdf:Keywords>{escape(keywords)}</pdf:Keywords>")
    lines += [
        f"<dc:language><rdf:Bag>{languages}</rdf:Bag></dc:language>",
        f"<xmp:CreatorTool>{escape(text('/Creator'))}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{date}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{date}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{date}</xmp:MetadataDate>",
        f"<pdf:Producer>{escape(text('/Producer'))}</pdf:Producer>",
        f"<xmpMM:DocumentID>uuid:{_uuid(document_id)}</xmpMM:DocumentID>",
        f"<xmpMM:InstanceID>uuid:{_uuid(instance_id)}</xmpMM:InstanceID>",
        f"<xmpMM:VersionID>{escape(options.edition or '1')}</xmpMM:VersionID>",
        f"<xmpMM:RenditionClass>{'screen' if screen else 'default'}</xmpMM:RenditionClass>",
        "<pdfuaid:part>1</pdfuaid:part>",
        f"<highlight:edition>{escape(options.edition)}</highlight:edition>",
    ]
    if pdfx:
        lines += ["<pdf:Trapped>False</pdf:Trapped>",
                  "<pdfx:GTS_PDFXVersion>PDF/X-4</pdfx:GTS_PDFXVersion>",
                  "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"]
    body = "\n   ".join(lines)
    # Dates match the Info dictionary's fixed (invariant) date, so the file stays reproducible. The packet is
    # laid out as lxml serialises it (pikepdf's XMP round trip wrote it so until it was skipped): namespaces
    # before rdf:about on one line, a blank line before the closing xpacket.
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" \
xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" \
xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/" \
xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" xmlns:highlight="https://example.org/highlight/ns/1.0/" rdf:about="">
   {body}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>

<?xpacket end="w"?>
"""
