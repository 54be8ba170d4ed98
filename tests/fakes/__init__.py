"""In-process fakes of cloud APIs used by the test suite (test fixtures, not product code)."""
