"""Temporary media: uploads, and downloads of what users "sent" (kept 3 days, as WeChat does).

https://developers.weixin.qq.com/doc/offiaccount/Asset_Management/New_temporary_materials.html
https://developers.weixin.qq.com/doc/offiaccount/Asset_Management/Get_temporary_materials.html
"""
from __future__ import annotations

from flask import Response, request

from wechat_bot.sandbox.api import bp, sandbox_state
from wechat_bot.sandbox.replies import ApiError, answer

MB = 1024 * 1024
# type → (largest upload, errcode when larger)
KINDS = {"image": (10 * MB, 40009), "voice": (2 * MB, 40010), "video": (10 * MB, 40011),
         "thumb": (64 * 1024, 40012)}
IMAGE_MAGIC = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png",
               b"GIF87a": "image/gif", b"GIF89a": "image/gif", b"BM": "image/bmp"}
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
              "image/bmp": ".bmp", "audio/amr": ".amr"}


@bp.post("/media/upload")
def media_upload():
    """multipart field "media", ?type=image|voice|video|thumb → {type, media_id, created_at}."""
    kind = request.args.get("type", "")
    if kind not in KINDS:
        raise ApiError(40004)
    upload = request.files.get("media")
    if upload is None:
        raise ApiError(41005)
    data = upload.read()
    if not data:
        raise ApiError(44001)
    largest, too_large = KINDS[kind]
    if len(data) > largest:
        raise ApiError(too_large)
    content_type = _content_type(kind, data, upload.mimetype)
    state = sandbox_state()
    media_id = state.store_media(kind, data, content_type)
    return answer(type=kind, media_id=media_id, created_at=state.now())


@bp.get("/media/get")
def media_get():
    """The file's bytes for media this account issued in the last 3 days, else 40007."""
    media_id = request.args.get("media_id", "")
    if not media_id:
        raise ApiError(41006)
    state = sandbox_state()
    with state.lock:
        media = state.find_media(media_id)
    if media is None:
        raise ApiError(40007)
    filename = media_id + EXTENSIONS.get(media.content_type, "")
    return Response(media.data, content_type=media.content_type,
                    headers={"Content-disposition": f'attachment; filename="{filename}"'})


def _content_type(kind: str, data: bytes, declared: str) -> str:
    """Images must really be images (thumbs JPEG); other kinds keep the declared type."""
    if kind not in ("image", "thumb"):
        return declared or "application/octet-stream"
    found = next((mime for magic, mime in IMAGE_MAGIC.items() if data.startswith(magic)), None)
    if found is None or (kind == "thumb" and found != "image/jpeg"):
        raise ApiError(40005)
    return found
