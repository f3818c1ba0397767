"""Logging set-up and the openid mask: logs never carry a full openid."""
import logging


def mask(openid: str) -> str:
    """o6_bmjrPTlm6_2sgVt7hMZOPfL2M → o6_b…PfL2M: enough to correlate, not to identify."""
    if len(openid) <= 8:
        return "*" * len(openid)
    return f"{openid[:4]}…{openid[-5:]}"


def setup_logging(level: str) -> None:
    """One line per record, with time and logger name."""
    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
