from ehoks.cli import main

main()
