from seespeech.cli import main

main()
