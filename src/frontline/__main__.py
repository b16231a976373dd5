from frontline.cli.main import run

run()
