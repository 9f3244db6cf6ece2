from fremfaerd_kit.cli import main

main()
