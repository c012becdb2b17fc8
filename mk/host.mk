# host area: filled by the issue that delivers it.
