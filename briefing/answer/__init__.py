"""Answer: questions answered from passages, drafted by the model, checked before they are shown."""
