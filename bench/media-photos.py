#!/usr/bin/env python3
"""Writes N photo-like JPEGs of about 12 megapixels for bench/media-processing.sh.

    bench/media-photos.py DIR [N] [WIDTHxHEIGHT]     (default 100 photos, 4000x3000)

Each photo is made of soft colour fields (shapes drawn small, blurred and scaled up), a
gradient and grain (Gaussian noise), saved as JPEG quality 90 with 4:2:0 subsampling, as a
camera would; each carries EXIF with a camera model and GPS coordinates, and every fourth is
stored sideways with EXIF orientation 6, so the bench pays for stripping and turning as uploads
do. Seeded: every run writes the same pictures.
"""
import os
import random
import sys

from PIL import Image, ImageChops, ImageDraw, ImageFilter


def photo(width, height, rng):
    small = Image.new("RGB", (width // 8, height // 8), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(small)
    for _ in range(40):
        x, y = rng.randrange(small.width), rng.randrange(small.height)
        r = rng.randrange(10, small.width // 3)
        draw.ellipse((x - r, y - r, x + r, y + r // 2), fill=tuple(rng.randrange(256) for _ in range(3)))
    fields = small.filter(ImageFilter.GaussianBlur(6)).resize((width, height), Image.BICUBIC)
    gradient = Image.linear_gradient("L").transpose(rng.choice([Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_270, Image.Transpose.FLIP_LEFT_RIGHT])).resize((width, height))
    shaded = Image.composite(fields, ImageChops.multiply(fields, Image.merge("RGB", [gradient] * 3)), gradient)
    grain = Image.effect_noise((width, height), rng.choice([12, 18, 24])).convert("RGB")
    return ImageChops.overlay(shaded, grain)


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    folder = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    width, height = (int(v) for v in (sys.argv[3] if len(sys.argv) > 3 else "4000x3000").split("x"))
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(18)
    for i in range(count):
        image = photo(width, height, rng)
        exif = Image.Exif()
        exif[0x010F] = "BenchMake"
        exif[0x0110] = "BenchCam %d" % (i % 7)
        exif[0x013B] = "Bench Photographer"
        exif[0x8298] = "(c) 2026 Bench"
        exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 22.0, float(i % 60)), 3: "E", 4: (4.0, 53.0, 10.0)})
        if i % 4 == 3:
            image = image.rotate(90, expand=True)
            exif[0x0112] = 6
        image.save(os.path.join(folder, "photo-%03d.jpg" % i), "JPEG", quality=90, subsampling=2, exif=exif)


if __name__ == "__main__":
    main()
