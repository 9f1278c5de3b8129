"""The compiler core: workspace files in, a ``FileDescriptorSet`` with source info out."""
