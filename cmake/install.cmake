# Installed later in the foundation work.
