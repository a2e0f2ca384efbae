"""The shapes both edges print: the JSON of the web app's API and of the command line's
``--json`` (:mod:`.shapes`), made once from the plain data of the layers below.
"""
