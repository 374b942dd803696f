"""gongkai: government information-disclosure annual reports as reconciled data.

The top of the package: the command line (`gongkai.cli`), the build (`gongkai.build`) and the
few helpers every layer shares. It is the only code that imports both `ingest` and `publish`.
"""
