"""``protokit lint``: Buf's lint rules over compiled descriptors with source info."""
