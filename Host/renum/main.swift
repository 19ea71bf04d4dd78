print("renum")
