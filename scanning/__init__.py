"""Document capture: scanner sources, image clean-up, quality checks, OCR, PDF assembly, CCCD QR."""
