#!/usr/bin/env python3
"""Real image and PDF files for the media tests, made with Pillow, and a reader of renditions.

    media_samples.py make KIND   writes the sample KIND to standard output
    media_samples.py read        reads an image on standard input and prints what Pillow sees, as JSON

Kinds:
  exif-photo      2400x1800 JPEG stored sideways (EXIF orientation 6): its stored top half red,
                  bottom half blue, so upright its right half is red; GPS coordinates, camera make
                  and model, description, artist and copyright in EXIF
  exif-caption    JPEG with EXIF ImageDescription, Artist and Copyright only
  iptc-caption    JPEG with an APP13 Photoshop 3.0 segment holding IPTC-IIM 2:120, 2:110, 2:116
  xmp-caption     JPEG with an XMP packet (dc:description, photoshop:Credit, dc:rights)
  avif            AVIF image (Pillow's own AVIF writer), 640x400
  heic            HEIC image (pillow-heif), 640x400
  jpeg, png, webp small valid images with detail, for mutation
  pdf             a small valid PDF
  pdf-javascript, pdf-openaction, pdf-escaped-name, pdf-objstm-javascript, pdf-objstm-escaped-type,
  pdf-objstm-nested-dictionary, pdf-objstm-two-filters   PDFs with active content
  png-bomb        a 30000x30000 one-bit PNG of one colour: under 200 KB, 900 million pixels
  truncated-jpeg, corrupt-png, html
"""
import io
import json
import struct
import sys
import zlib

from PIL import Image, ImageDraw


def detailed(width, height, seed=7):
    """An image with gradients and noise, so encoders have real work."""
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    red = Image.blend(gradient, noise, 0.5)
    green = gradient.rotate(90).resize((width, height))
    blue = Image.blend(noise, Image.new("L", (width, height), (seed * 37) % 256), 0.6)
    return Image.merge("RGB", (red, green, blue))


def jpeg(image, **options):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, **options)
    return out.getvalue()


def exif_fields(exif):
    exif[0x010E] = "Flooded meadow at dawn"      # ImageDescription
    exif[0x013B] = "Ana Example"                  # Artist
    exif[0x8298] = "(c) 2026 Rivers Trust"        # Copyright
    return exif


def exif_photo():
    image = Image.new("RGB", (2400, 1800), (0, 0, 255))
    ImageDraw.Draw(image).rectangle((0, 0, 2399, 899), fill=(255, 0, 0))
    exif = exif_fields(Image.Exif())
    exif[0x0112] = 6                              # Orientation: rotate 90 CW to show
    exif[0x010F] = "DatelineMake"                 # Make
    exif[0x0110] = "DatelineCam X100"             # Model
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (52.0, 22.0, 30.0), 3: "E", 4: (4.0, 53.0, 10.0)})
    return jpeg(image, exif=exif)


def exif_caption():
    return jpeg(detailed(320, 200), exif=exif_fields(Image.Exif()))


def iptc_caption():
    def dataset(number, text):
        value = text.encode("utf-8")
        return bytes([0x1C, 2, number]) + struct.pack(">H", len(value)) + value
    iim = dataset(0, "\x00\x04") + dataset(120, "Volunteers plant reeds on the bank") \
        + dataset(110, "Rivers Trust / Ben Example") + dataset(116, "Rivers Trust 2026")
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
    if len(iim) % 2:
        resource += b"\x00"
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xFF\xED" + struct.pack(">H", len(payload) + 2) + payload
    plain = jpeg(detailed(320, 200))
    return plain[:2] + segment + plain[2:]


def xmp_caption():
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Heron &amp; egret on the weir</rdf:li></rdf:Alt></dc:description>'
        '<photoshop:Credit>Wetland Press</photoshop:Credit>'
        '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">CC BY 4.0 Wetland Press</rdf:li></rdf:Alt></dc:rights>'
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode("utf-8")
    return jpeg(detailed(320, 200), xmp=packet)


def encoded(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def pdf(extra_catalog=b"", objects=b""):
    return (b"%PDF-1.5\n1 0 obj << /Type /Catalog /Pages 2 0 R " + extra_catalog + b" >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
            + objects + b"trailer << /Root 1 0 R >>\n%%EOF\n")


def objstm_javascript(dictionary=b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", encode=zlib.compress):
    # Object 4 (the catalog's name tree) lives only inside the compressed object stream 5.
    inner = b"4 0 << /JavaScript << /Names [(a) << /S /JavaScript /JS (app.alert\\(1\\)) >>] >> >>"
    stream = encode(inner)
    header = b"5 0 obj << " + dictionary + b" /Length %d >>\nstream\n" % len(stream)
    return pdf(b"/Names 4 0 R", header + stream + b"\nendstream\nendobj\n")


def png_bomb(size=30000):
    # One-bit grey, every pixel 0: each row is a filter byte and size/8 zero bytes.
    row = b"\x00" * (1 + (size + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(size)) + compressor.flush()

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def make(kind):
    if kind == "exif-photo": return exif_photo()
    if kind == "exif-caption": return exif_caption()
    if kind == "iptc-caption": return iptc_caption()
    if kind == "xmp-caption": return xmp_caption()
    if kind == "avif": return encoded(detailed(640, 400), "AVIF")
    if kind == "heic":
        # Pillow writes HEIC only through the pillow-heif plugin (libheif with x265).
        from pillow_heif import register_heif_opener
        register_heif_opener()
        return encoded(detailed(640, 400), "HEIF", quality=80)
    if kind == "jpeg": return jpeg(detailed(96, 64))
    if kind == "png": return encoded(detailed(96, 64), "PNG")
    if kind == "webp": return encoded(detailed(96, 64), "WEBP", quality=80)
    if kind == "pdf": return pdf()
    if kind == "pdf-javascript":
        return pdf(b"/Names << /JavaScript 4 0 R >>", b"4 0 obj << /S /JavaScript /JS (app.alert\\(1\\)) >> endobj\n")
    if kind == "pdf-openaction":
        return pdf(b"/OpenAction 4 0 R", b"4 0 obj << /S /URI /URI (https://example.org/) >> endobj\n")
    if kind == "pdf-escaped-name":
        return pdf(b"/Names << /J#61vaScript 4 0 R >>", b"4 0 obj << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >> endobj\n")
    if kind == "pdf-objstm-javascript": return objstm_javascript()
    # The same, its object stream named with an escape, its dictionary holding a nested one,
    # or its bytes under two filters.
    if kind == "pdf-objstm-escaped-type":
        return objstm_javascript(b"/Type /Obj#53tm /N 1 /First 4 /Filter /Fl#61teDecode")
    if kind == "pdf-objstm-nested-dictionary":
        return objstm_javascript(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /DecodeParms << /Columns 1 >>")
    if kind == "pdf-objstm-two-filters":
        # Inflated, the stream is still hex text: the names show only after the second filter.
        return objstm_javascript(b"/Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /ASCIIHexDecode]",
                                 lambda data: zlib.compress(data.hex().encode() + b">"))
    if kind == "pdf-objstm-long-dictionary":
        # The object stream's dictionary padded past 4 KiB, so /ObjStm sits far before "stream".
        return objstm_javascript(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Pad (" + b"x" * 6000 + b")")
    if kind == "pdf-xfa":
        return pdf(b"/AcroForm << /Fields [] /XFA 4 0 R >>", b"4 0 obj << /Length 0 >> stream\nendstream endobj\n")
    if kind == "png-bomb": return png_bomb()
    if kind == "truncated-jpeg":
        whole = jpeg(detailed(640, 480))
        return whole[: len(whole) // 2]
    if kind == "corrupt-png":
        whole = bytearray(encoded(detailed(96, 64), "PNG"))
        start = whole.index(b"IDAT") + 4
        for i in range(start + 20, start + 60):
            whole[i] ^= 0x5A
        return bytes(whole)
    if kind == "html":
        return b"<!doctype html><html><body><script>alert(1)</script></body></html>\n"
    raise SystemExit("unknown kind " + kind)


def read():
    data = sys.stdin.buffer.read()
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    xmp = image.info.get("xmp")
    if isinstance(xmp, bytes):
        xmp = xmp.decode("utf-8", "replace")
    rgb = image.convert("RGB")
    w, h = rgb.size
    print(json.dumps({
        "format": image.format,
        "width": w,
        "height": h,
        "exifTags": sorted(int(tag) for tag in exif.keys()),
        "exifIFDTags": sorted(int(tag) for tag in exif.get_ifd(0x8769).keys()),
        "gps": dict((str(k), str(v)) for k, v in exif.get_ifd(0x8825).items()),
        "model": str(exif.get(0x0110, "")),
        "orientation": int(exif.get(0x0112, 1)),
        "xmp": xmp or "",
        "left": list(rgb.getpixel((w // 8, h // 2))),
        "right": list(rgb.getpixel((w - 1 - w // 8, h // 2))),
    }))


if __name__ == "__main__":
    if sys.argv[1:2] == ["make"]:
        sys.stdout.buffer.write(make(sys.argv[2]))
    elif sys.argv[1:2] == ["read"]:
        read()
    else:
        raise SystemExit(__doc__)
