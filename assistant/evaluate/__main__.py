from assistant.evaluate.cli import main

raise SystemExit(main())
