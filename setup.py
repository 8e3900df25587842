"""Build of the optional compiled kernels (everything else is in pyproject.toml).

`cleankit.plugins._dedup_native` speeds up dedup's hashing; when it cannot be built
(no C compiler), installation still succeeds and dedup runs its numpy code, which
gives the same results."""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """Build extensions when a compiler is there; warn and go on when it is not."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any build failure falls back to numpy
            self._warn(exc)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            self._warn(exc)

    @staticmethod
    def _warn(exc: Exception) -> None:
        print(f"cleankit: optional C kernels not built ({exc}); using the numpy code")


setup(
    ext_modules=[
        Extension(
            "cleankit.plugins._dedup_native",
            ["plugins/_dedup_native.c"],
            extra_compile_args=["-O3"],
            optional=True,
        )
    ],
    cmdclass={"build_ext": OptionalBuildExt},
)
