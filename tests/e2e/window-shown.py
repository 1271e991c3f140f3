#!/usr/bin/env python3
"""Reports when a top-level window is mapped (shown) on the X display and when its pixels
first show text, so the end-to-end benchmark can time the library's first paint as the user
sees it: from the moment the window shows to the moment the screen has the library on it.

Prints "ready" once it listens, then:
  shown MS TITLE   when a top-level window is mapped (TITLE is "-" if GTK has not set it yet)
  painted MS       once, when 16 thin strips across the first mapped window, spread over its
                   height, together have more than PAINTED_COLOURS distinct colours: a blank
                   or single-colour window has a handful, a frame with text (antialiased) has
                   hundreds.
MS is wall-clock milliseconds since the epoch, the clock of the page's performance.timeOrigin.
The strips are read with XGetImage after each XDamage notification of the window, i.e. after
the X server has drawn into it (Xvfb has no compositor: what is drawn is on the screen).
WINDOW_SHOWN_DEBUG=1 prints each check to stderr. Runs until it is killed. Uses libX11 and libXdamage through ctypes (no packages).

usage: window-shown.py
"""
import ctypes
import ctypes.util
import os
import sys
import time

c_ulong, c_long, c_int, c_uint, c_void_p = ctypes.c_ulong, ctypes.c_long, ctypes.c_int, ctypes.c_uint, ctypes.c_void_p

MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
X_DAMAGE_REPORT_NON_EMPTY = 3
Z_PIXMAP = 2
ALL_PLANES = 0xFFFFFFFF
PAINTED_COLOURS = 24
STRIPS = 16
STRIP_HEIGHT = 6


class XMapEvent(ctypes.Structure):
    _fields_ = [
        ("type", c_int),
        ("serial", c_ulong),
        ("send_event", c_int),
        ("display", c_void_p),
        ("event", c_ulong),
        ("window", c_ulong),
        ("override_redirect", c_int),
    ]


class XEvent(ctypes.Union):
    _fields_ = [("type", c_int), ("xmap", XMapEvent), ("pad", c_long * 24)]


class XImage(ctypes.Structure):
    # The leading fields of Xlib's XImage, up to the ones read here.
    _fields_ = [
        ("width", c_int),
        ("height", c_int),
        ("xoffset", c_int),
        ("format", c_int),
        ("data", ctypes.POINTER(ctypes.c_ubyte)),
        ("byte_order", c_int),
        ("bitmap_unit", c_int),
        ("bitmap_bit_order", c_int),
        ("bitmap_pad", c_int),
        ("depth", c_int),
        ("bytes_per_line", c_int),
        ("bits_per_pixel", c_int),
    ]


ERROR_HANDLER = ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p)


@ERROR_HANDLER
def ignore_errors(_display, _error):
    # A window that is gone or not viewable yet makes XGetImage fail: not a reason to stop.
    return 0


def load(name, fallback):
    return ctypes.cdll.LoadLibrary(ctypes.util.find_library(name) or fallback)


def main() -> int:
    x = load("X11", "libX11.so.6")
    damage = load("Xdamage", "libXdamage.so.1")
    x.XOpenDisplay.restype = c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XDefaultRootWindow.restype = c_ulong
    x.XDefaultRootWindow.argtypes = [c_void_p]
    x.XSelectInput.argtypes = [c_void_p, c_ulong, c_long]
    x.XNextEvent.argtypes = [c_void_p, ctypes.POINTER(XEvent)]
    x.XFetchName.argtypes = [c_void_p, c_ulong, ctypes.POINTER(ctypes.c_char_p)]
    x.XFlush.argtypes = [c_void_p]
    x.XSync.argtypes = [c_void_p, c_int]
    x.XGetGeometry.argtypes = [c_void_p, c_ulong, ctypes.POINTER(c_ulong)] + [ctypes.POINTER(c_int)] * 2 + [ctypes.POINTER(c_uint)] * 4
    x.XGetImage.restype = ctypes.POINTER(XImage)
    x.XGetImage.argtypes = [c_void_p, c_ulong, c_int, c_int, c_uint, c_uint, c_ulong, c_int]
    x.XFree.argtypes = [c_void_p]
    x.XSetErrorHandler(ignore_errors)
    damage.XDamageQueryExtension.argtypes = [c_void_p, ctypes.POINTER(c_int), ctypes.POINTER(c_int)]
    damage.XDamageCreate.restype = c_ulong
    damage.XDamageCreate.argtypes = [c_void_p, c_ulong, c_int]
    damage.XDamageSubtract.argtypes = [c_void_p, c_ulong, c_ulong, c_ulong]

    display = x.XOpenDisplay(None)
    if not display:
        print("window-shown: cannot open the display", file=sys.stderr)
        return 2
    event_base, error_base = c_int(), c_int()
    if not damage.XDamageQueryExtension(display, ctypes.byref(event_base), ctypes.byref(error_base)):
        print("window-shown: the display has no DAMAGE extension", file=sys.stderr)
        return 2
    damage_notify = event_base.value  # XDamageNotify is the extension's first event
    x.XSelectInput(display, x.XDefaultRootWindow(display), SUBSTRUCTURE_NOTIFY_MASK)
    x.XFlush(display)
    print("ready", flush=True)

    watched = None  # (window, damage) of the first mapped window, until it has painted
    event = XEvent()
    while True:
        x.XNextEvent(display, ctypes.byref(event))
        if event.type == MAP_NOTIFY and not event.xmap.override_redirect:
            shown = time.time() * 1000
            window = event.xmap.window
            name = ctypes.c_char_p()
            title = name.value.decode(errors="replace") if x.XFetchName(display, window, ctypes.byref(name)) and name.value else "-"
            print(f"shown {shown:.1f} {title}", flush=True)
            if watched is None:
                watched = (window, damage.XDamageCreate(display, window, X_DAMAGE_REPORT_NON_EMPTY))
                x.XFlush(display)
                if has_text(x, display, window):
                    print(f"painted {time.time() * 1000:.1f}", flush=True)
                    watched = ()
        elif event.type == damage_notify and watched:
            window, handle = watched
            # Re-arm: the next drawing into the window sends the next notification.
            damage.XDamageSubtract(display, handle, 0, 0)
            if has_text(x, display, window):
                print(f"painted {time.time() * 1000:.1f}", flush=True)
                watched = ()  # reported once; later frames are not watched


def has_text(x, display, window) -> bool:
    """Whether STRIPS thin strips across `window`, spread over its height, together show more
    than PAINTED_COLOURS distinct colours (text is antialiased: hundreds)."""
    root = c_ulong()
    left, top = c_int(), c_int()
    width, height, border, depth = c_uint(), c_uint(), c_uint(), c_uint()
    if not x.XGetGeometry(display, window, ctypes.byref(root), ctypes.byref(left), ctypes.byref(top),
                          ctypes.byref(width), ctypes.byref(height), ctypes.byref(border), ctypes.byref(depth)):
        return False
    colours = set()
    for strip in range(STRIPS):
        y = height.value * (2 * strip + 1) // (2 * STRIPS)
        image = x.XGetImage(display, window, 0, y, width.value, min(STRIP_HEIGHT, height.value - y), ALL_PLANES, Z_PIXMAP)
        if not image:
            return False
        try:
            img = image.contents
            if img.bits_per_pixel != 32:
                return False
            colours.update(memoryview(ctypes.string_at(img.data, img.bytes_per_line * img.height)).cast("I"))
        finally:
            x.XFree(img.data)
            x.XFree(image)
    if os.environ.get("WINDOW_SHOWN_DEBUG"):
        print(f"window-shown: {time.time() * 1000:.1f} {len(colours)} colours", file=sys.stderr, flush=True)
    return len(colours) > PAINTED_COLOURS


if __name__ == "__main__":
    sys.exit(main())
