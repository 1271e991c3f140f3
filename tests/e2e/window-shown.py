#!/usr/bin/env python3
"""Reports when top-level windows are mapped (shown) on the X display, so the end-to-end
benchmark can time the library's first paint from the moment the window shows rather than
from the page's navigation start. Prints "ready" once it listens, then one line per mapped
window: the wall-clock time in milliseconds since the epoch (the same clock as the page's
performance.timeOrigin) and the window's title, which GTK may set only after mapping (then
"-"). Runs until it is killed. Uses libX11 through ctypes (no packages).

usage: window-shown.py
"""
import ctypes
import ctypes.util
import sys
import time

c_ulong, c_long, c_int, c_void_p = ctypes.c_ulong, ctypes.c_long, ctypes.c_int, ctypes.c_void_p

MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19


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


def main() -> int:
    x = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11") or "libX11.so.6")
    x.XOpenDisplay.restype = c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XDefaultRootWindow.restype = c_ulong
    x.XDefaultRootWindow.argtypes = [c_void_p]
    x.XSelectInput.argtypes = [c_void_p, c_ulong, c_long]
    x.XNextEvent.argtypes = [c_void_p, ctypes.POINTER(XEvent)]
    x.XFetchName.argtypes = [c_void_p, c_ulong, ctypes.POINTER(ctypes.c_char_p)]
    x.XFlush.argtypes = [c_void_p]

    display = x.XOpenDisplay(None)
    if not display:
        print("window-shown: cannot open the display", file=sys.stderr)
        return 2
    x.XSelectInput(display, x.XDefaultRootWindow(display), SUBSTRUCTURE_NOTIFY_MASK)
    x.XFlush(display)
    print("ready", flush=True)
    event = XEvent()
    while True:
        x.XNextEvent(display, ctypes.byref(event))
        if event.type != MAP_NOTIFY or event.xmap.override_redirect:
            continue
        shown = time.time() * 1000
        name = ctypes.c_char_p()
        title = name.value.decode(errors="replace") if x.XFetchName(display, event.xmap.window, ctypes.byref(name)) and name.value else "-"
        print(f"{shown:.1f} {title}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
