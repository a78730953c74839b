#!/usr/bin/env python3
"""Writes the XLSX bombs kept in crates/domain/tests/fixtures/fuzz/ (seed_bomb_*.xlsx).

Each is a few kilobytes to a megabyte on disk and claims or unpacks to far more; the
import readers must refuse each with the limit named, in bounded memory. Run it again
only to change a bomb; the files are committed, and the tests read them.

    python3 scripts/make_xlsx_bombs.py crates/domain/tests/fixtures/fuzz
"""
import io
import struct
import sys
import zipfile
import zlib

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="社員" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet(rows_xml, dimension="A1:B2"):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}>'
            f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>')


SMALL_SHEET = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                    '<row r="2"><c r="A2" t="s"><v>0</v></c></row>')


def streamed(chunks):
    """A deflated stream of the chunks, without holding them all in memory."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = bytearray()
    for chunk in chunks:
        out += c.compress(chunk)
    out += c.flush()
    return bytes(out)


def book(parts, raw_parts=()):
    """A workbook zip from (name, text) parts; raw_parts are (name, deflated bytes,
    crc, size) written as they are."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            z.writestr(name, text)
    if not raw_parts:
        return buf.getvalue()
    # zipfile cannot write precompressed data: append entries by hand.
    return add_raw(buf.getvalue(), raw_parts)


def add_raw(zip_bytes, raw_parts):
    eocd = zip_bytes.rindex(b"PK\x05\x06")
    (_, _, _, _, count, cd_size, cd_offset, _) = struct.unpack("<4sHHHHIIH", zip_bytes[eocd:eocd + 22])
    body = bytearray(zip_bytes[:cd_offset])
    central = bytearray(zip_bytes[cd_offset:cd_offset + cd_size])
    for name, data, crc, size in raw_parts:
        n = name.encode()
        offset = len(body)
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data),
                            size & 0xFFFFFFFF, len(n), 0) + n + data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc,
                               len(data), size & 0xFFFFFFFF, len(n), 0, 0, 0, 0, 0, offset) + n
        count += 1
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), len(body), 0)
    return bytes(body + central + end)


BASE = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)]


def sparse_dimension():
    """A sheet claiming A1:XFD1048576 (17 billion cells) with a cell at each corner."""
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>社員番号</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>E1</t></is></c></row>')
    return book(BASE + [("xl/worksheets/sheet1.xml", sheet(rows, "A1:XFD1048576")),
                        ("xl/sharedStrings.xml", f'<sst {NS} count="0" uniqueCount="0"></sst>')])


def huge_shared_string():
    """One shared string of 1 GiB, deflated to about a megabyte."""
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst {NS} count="1" uniqueCount="1"><si><t>'.encode()
    tail = b"</t></si></sst>"
    chunk = b"a" * (1 << 20)
    data = streamed([head] + [chunk] * 1024 + [tail])
    crc = zlib.crc32(head)
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + 1024 * len(chunk) + len(tail)
    return book(BASE + [("xl/worksheets/sheet1.xml", SMALL_SHEET)],
                [("xl/sharedStrings.xml", data, crc, size)])


def many_shared_strings():
    """33 million one-letter shared strings (561 MB of XML)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst {NS}>'.encode()
    block = b"<si><t>a</t></si>" * 100_000
    tail = b"</sst>"
    data = streamed([head] + [block] * 330 + [tail])
    crc = zlib.crc32(head)
    for _ in range(330):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + 330 * len(block) + len(tail)
    return book(BASE + [("xl/worksheets/sheet1.xml", SMALL_SHEET)],
                [("xl/sharedStrings.xml", data, crc, size)])


def nested_zip():
    """A workbook carrying a zip of zips of zips, each level ten copies of the one
    below, the innermost 100 MB of zeros: opened, it would be 100 GB."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.xml", b"\0" * (100 << 20))
    level = inner.getvalue()
    for depth in range(3):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(10):
                z.writestr(f"level{depth}_{i}.zip", level)
        level = out.getvalue()
    shared = f'<sst {NS} count="1" uniqueCount="1"><si><t>社員番号</t></si></sst>'
    return book(BASE + [("xl/worksheets/sheet1.xml", SMALL_SHEET), ("xl/sharedStrings.xml", shared),
                        ("xl/embeddings/nested.zip", level)])


def false_sizes():
    """A sheet whose entry claims 100 bytes and unpacks to 1.2 GB of rows."""
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet {NS}><sheetData>'.encode()
    row = b'<row><c t="inlineStr"><is><t>E1</t></is></c></row>'
    block = row * 20_000
    tail = b"</sheetData></worksheet>"
    n = 1200
    data = streamed([head] + [block] * n + [tail])
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    shared = f'<sst {NS} count="0" uniqueCount="0"></sst>'
    return book(BASE + [("xl/sharedStrings.xml", shared)],
                [("xl/worksheets/sheet1.xml", data, crc, 100)])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "crates/domain/tests/fixtures/fuzz"
    for name, make in [("sparse_dimension", sparse_dimension), ("huge_shared_string", huge_shared_string),
                       ("many_shared_strings", many_shared_strings), ("nested_zip", nested_zip),
                       ("false_sizes", false_sizes)]:
        data = make()
        with open(f"{out}/seed_bomb_{name}.xlsx", "wb") as f:
            f.write(data)
        print(f"seed_bomb_{name}.xlsx: {len(data):,} bytes")


if __name__ == "__main__":
    main()
