import ForgeCLI

await ForgeEntry.main()
