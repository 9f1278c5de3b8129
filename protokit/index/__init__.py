"""The indexed view of compiled descriptors: files, elements and their source locations."""
