"""One module per `site-builder` verb; each has register(subparsers) and run(args)."""
