"""The application layer: a dossier at the counter, from the called ticket to the signed,
uploaded dossier.

``counter.CounterWork`` receives (with the ticket linked), digitizes a component,
signs the dossier's files and finishes the visit; ``signing`` is the one path by which a
dossier file becomes signed (sign in place, verify, record, audit, release the upload).
The CLI, the demo and every screen call these; nothing else sets a signature state.
"""
