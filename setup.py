"""Build of the optional compiled kernels (everything else is in pyproject.toml).

`cleankit.plugins._dedup_native` speeds up dedup's hashing. It is `optional`: when it
cannot be built (no C compiler), installation still succeeds with a warning and dedup
runs its numpy code, which computes the same values (tests/test_dedup_native.py).
`cleankit.plugins._chrome_native` is chrome's page pass (per-line features in one walk
over the page), optional in the same way (tests/test_chrome_native.py)."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "cleankit.plugins._dedup_native",
            ["plugins/_dedup_native.c"],
            extra_compile_args=["-O3"],
            optional=True,
        ),
        Extension(
            "cleankit.plugins._chrome_native",
            ["plugins/_chrome_native.c"],
            extra_compile_args=["-O3"],
            optional=True,
        ),
    ]
)
