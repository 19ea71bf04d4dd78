print("renum-bench: see bench/invoke.sh")
