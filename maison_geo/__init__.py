"""maison-geo: commune-level map viewer for huyện Mai Sơn (Sơn La, Vietnam)."""


def create_app(config=None):
    """The Flask application (imports Flask only when an app is wanted)."""
    from .web import create_app as _create_app
    return _create_app(config)
