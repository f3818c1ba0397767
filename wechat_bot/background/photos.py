"""Downloading the photos users sent (WeChat keeps them three days) into the data directory."""
from __future__ import annotations

import logging
from pathlib import Path

from models.orders import Attachment
from wechat_bot.wechat_api.gateway import PermanentError, TransientError, WechatGateway

log = logging.getLogger(__name__)


def pending_photos(limit: int) -> list[Attachment]:
    """Photos not downloaded yet and not given up on, oldest first."""
    return list(Attachment.select().where(~Attachment.downloaded, Attachment.download_error == "")
                .order_by(Attachment.id).limit(limit))


def download_pending(gateway: WechatGateway, media_dir: Path, limit: int = 20) -> int:
    """Fetch up to `limit` photos; how many were handled (saved or given up on)."""
    handled = 0
    for photo in pending_photos(limit):
        try:
            content = gateway.download_media(photo.media_id)
        except TransientError as exc:
            log.info("photo %s not fetched yet: %s", photo.id, exc)
            break  # WeChat is unwell: try the rest on the next round
        except PermanentError as exc:
            log.warning("photo %s cannot be fetched: %s", photo.id, exc)
            Attachment.update(download_error=str(exc)[:200]).where(Attachment.id == photo.id).execute()
        else:
            _save(photo, content, media_dir)
        handled += 1
    return handled


def _save(photo: Attachment, content: bytes, media_dir: Path) -> None:
    """Write the file, then mark it downloaded (a crash in between only repeats the download)."""
    folder = media_dir / f"{photo.created_at:%Y%m}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{photo.id}.jpg"
    path.write_bytes(content)
    Attachment.update(downloaded=True, file_path=str(path)).where(Attachment.id == photo.id).execute()
