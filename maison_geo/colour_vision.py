"""Colours as people with a colour-vision deficiency see them, and how far apart two colours look.

Simulation: Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of
color vision deficiency", IEEE TVCG 15(6), the matrices for severity 1.0 (dichromacy), applied to
linear RGB. Difference: CIE76 ΔE in CIELAB (D65); about 2.3 is a just noticeable difference, and two
map fills need much more than that to be told apart at a glance."""
import math

MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}
VISIONS = ("normal",) + tuple(MACHADO)


def _linear(channel):
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def rgb(hex_color):
    text = hex_color.lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))


def simulate(hex_color, vision):
    """The colour's linear RGB (0–1) as seen with this vision ('normal' or a key of MACHADO)."""
    linear = [_linear(c) for c in rgb(hex_color)]
    if vision == "normal":
        return tuple(linear)
    return tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear)))) for row in MACHADO[vision])


def lab(linear):
    r, g, b = linear
    xyz = (0.4124 * r + 0.3576 * g + 0.1805 * b, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           0.0193 * r + 0.1192 * g + 0.9505 * b)
    white = (0.95047, 1.0, 1.08883)
    f = [t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
         for t in (v / w for v, w in zip(xyz, white))]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def difference(color_a, color_b, vision="normal"):
    """CIE76 ΔE between two colours as seen with this vision."""
    return math.dist(lab(simulate(color_a, vision)), lab(simulate(color_b, vision)))


def smallest_difference(colors, vision="normal", pairs=None):
    """The smallest ΔE among the given pairs of colours (every pair if none given): (ΔE, a, b)."""
    pairs = pairs or [(a, b) for i, a in enumerate(colors) for b in colors[i + 1:]]
    return min((difference(a, b, vision), a, b) for a, b in pairs)
