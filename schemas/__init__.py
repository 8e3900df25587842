"""pandera models of cleankit's output; shipped as `cleankit.schemas`."""
