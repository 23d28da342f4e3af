"""One module per security finding (issue 12): each fails on the code before the fix."""
