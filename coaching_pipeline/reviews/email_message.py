"""A review as an email: multipart/alternative, plain text (Markdown) beside HTML whose charts ride along as
inline images (cid:), since many mail clients block data: URIs."""

from __future__ import annotations

import base64
import hashlib
import re
from email.message import EmailMessage
from email.utils import formatdate

from coaching_pipeline.reviews.ledger import DeliveryKey

_DATA_URI = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
MESSAGE_ID_DOMAIN = "coaching-reviews"


def message_id(key: DeliveryKey) -> str:
    """The same id for the same (week, channel, recipient, review): mail systems drop a repeat of it."""
    digest = hashlib.sha256(f"{key.week_start}|{key.channel}|{key.recipient}|{key.review}".encode()).hexdigest()
    return f"<{key.week_start.isoformat()}.{digest[:24]}@{MESSAGE_ID_DOMAIN}>"


def build_email(key: DeliveryKey, *, sender: str, subject: str, html: str, text: str) -> EmailMessage:
    images: list[bytes] = []

    def to_cid(match: re.Match[str]) -> str:
        images.append(base64.b64decode(match.group(1)))
        return f'src="cid:chart{len(images)}@{MESSAGE_ID_DOMAIN}"'

    inline_html = _DATA_URI.sub(to_cid, html)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = key.recipient
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(key)
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(inline_html, subtype="html", charset="utf-8")
    html_part = message.get_payload()[1]
    for number, data in enumerate(images, start=1):
        html_part.add_related(
            data,
            maintype="image",
            subtype="png",
            cid=f"<chart{number}@{MESSAGE_ID_DOMAIN}>",
            filename=f"chart{number}.png",
        )
    return message
