from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; ES module imports are rewritten to hashed names too,
    so every file a page loads can be cached as immutable."""

    support_js_module_import_aggregation = True
    # Bootstrap Italia's source maps and a few plugins point at files the package does
    # not ship; a missing reference must not break collectstatic.
    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            return name
