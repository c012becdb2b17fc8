# generator area: filled by the issue that delivers it.
