"""protovalidate: what the PROTOVALIDATE lint rule needs to check ``(buf.validate.*)`` options as Buf does.

``schema`` gives the validate.proto Buf decodes with and descriptor pools; ``options`` decodes a file's
rules; ``fields`` and ``messages`` make the static checks; ``cel`` type-checks expressions; ``examples``
runs the protovalidate runtime on example values; ``goregexp`` and ``gofmt`` reproduce the Go texts Buf's
messages embed.
"""
