#!/usr/bin/env python
"""Container health check for the HTTP services: healthy when the URL answers below 500.

The MCP app answers 401 without a bearer token, which still shows it is up and serving.
"""

import sys
import urllib.error
import urllib.request


def main(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:  # noqa: S310 (a fixed local URL)
            return 0 if reply.status < 500 else 1
    except urllib.error.HTTPError as exc:
        return 0 if exc.code < 500 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
