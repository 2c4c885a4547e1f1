"""The finishing pass over ReportLab's PDF: structure tree, identity, metadata (pikepdf; ReportLab has no API).

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
import io
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
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    screen = options.target == "screen"
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        pages = list(pdf.pages)
        content = hashlib.sha256()
        for page in pages:
            for stream in (page.obj.Contents if isinstance(page.obj.Contents, Array) else [page.obj.Contents]):
                content.update(stream.read_raw_bytes())
        _subset_tags(pdf, content)
        # -- the structure tree -------------------------------------------------------------------------
        tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree,
                                                Lang=String(options.languages[0])))
        tree.K = Array([document])
        parents: dict = {}  # page index -> {mcid: element}
        numbers = []
        next_key = len(pages)

        page_objs = [page.obj for page in pages]
        struct_elem = Name.StructElem
        kinds: dict[str, Name] = {}

        def write(element: Element, parent, page_index: int):
            nonlocal next_key
            # Every key at once: each call into pikepdf costs more than the Python around it.
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
            kids = []
            for child in element.children:
                if isinstance(child, Marked):
                    kids.append(child.mcid)
                    parents.setdefault(child.page, {})[child.mcid] = obj
                else:
                    kids.append(write(child, obj, page_index))
            if element.kind == "Figure" and element.url:
                for annot in (pages[page_index].obj.get("/Annots") or []):
                    action = annot.get("/A")
                    if annot.get("/Subtype") == Name.Link and action is not None \
                            and str(action.get("/URI", "")) == element.url:
                        link = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Link, P=obj,
                                                            Pg=pages[page_index].obj))
                        link.K = Array([Dictionary(Type=Name.OBJR, Obj=annot, Pg=pages[page_index].obj)])
                        annot.Contents = String(element.alt or element.url)
                        link.Alt = annot.Contents
                        annot.F = 4  # printable, so print and screen show the same
                        annot.StructParent = next_key
                        numbers.append((next_key, link))
                        next_key += 1
                        kids.append(link)
            obj.K = kids[0] if len(kids) == 1 and isinstance(kids[0], int) else Array(kids)
            return obj

        sects = Array()
        for index, plan in enumerate(plans):
            sects.append(write(plan.sect, document, index))
        document.K = sects
        nums = Array()
        for index, page in enumerate(pages):
            page.obj.StructParents = index
            page.obj.Tabs = Name.S
            if "/Trans" in page.obj:
                del page.obj["/Trans"]
            marks = parents.get(index, {})
            nums.append(index)
            nums.append(pdf.make_indirect(Array([marks[m] for m in range(max(marks) + 1)] if marks else [])))
        for key, link in numbers:
            nums.append(key)
            nums.append(link)
        tree.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
        tree.ParentTreeNextKey = next_key
        role_map = Dictionary()
        tree.RoleMap = role_map
        root.StructTreeRoot = tree
        root.MarkInfo = Dictionary(Marked=True)
        root.Lang = String(options.languages[0])
        root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        if screen:
            root.PageMode = Name.UseOutlines
        # -- identity -----------------------------------------------------------------------------------
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
                if name in info:
                    del info[name]
        metadata = pikepdf.Stream(pdf, _xmp(options, info, document_id, instance_id).encode("utf-8"))
        metadata.Type = Name.Metadata
        metadata.Subtype = Name.XML
        root.Metadata = metadata
        # The /ID: its first half names this document (edition, title, target, languages), its second is
        # qpdf's digest of the file as written (deterministic_id): reproducible, and new for any change.
        pdf.trailer.ID = Array([String(document_id[:16]), String(instance_id[:16])])
        # ReportLab writes most filters as a one-element array, which qpdf decodes and compresses again
        # (15 ms): the same filter as a name is copied as it is.
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                filters = obj.get("/Filter")
                if isinstance(filters, Array) and len(filters) == 1:
                    obj.Filter = filters[0]
        out = io.BytesIO()
        # fix_metadata_version would parse the XMP with lxml (70 ms to import) and write it back: _xmp writes
        # it already as that round trip would (tests/test_tags.py compares), and it has no pdf:PDFVersion.
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 fix_metadata_version=False)
        return out.getvalue()


def _subset_tags(pdf, content) -> None:
    """Each subset's tag from a hash of its glyphs (the embedded font program and its character map)."""
    from pikepdf import Name

    seen: dict = {}
    for page in pdf.pages:
        fonts = (page.obj.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            key = font.objgen
            if key in seen:
                continue
            name = str(font.get("/BaseFont", ""))
            if len(name) < 9 or name[7] != "+":
                continue
            descriptor = font.get("/FontDescriptor")
            digest = hashlib.sha256(name[8:].encode())
            if descriptor is not None and "/FontFile2" in descriptor:
                digest.update(descriptor.FontFile2.read_raw_bytes())
            if "/ToUnicode" in font:
                digest.update(font.ToUnicode.read_raw_bytes())
            tag = subset_tag(digest.digest())
            while tag in seen.values():  # two subsets never share a tag, whatever the hash says
                tag = subset_tag(hashlib.sha256(tag.encode() + digest.digest()).digest())
            seen[key] = tag
            new = Name("/" + tag + "+" + name[8:])
            font.BaseFont = new
            if descriptor is not None:
                descriptor.FontName = new


def _xmp(options, info, document_id: bytes, instance_id: bytes) -> str:
    from pikepdf import String

    def text(key: str) -> str:
        value = info.get(key)
        return str(value) if isinstance(value, String) else ""

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
