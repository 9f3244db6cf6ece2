from fremfaerd_kit.start import main

main()
