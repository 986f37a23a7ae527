"""The Streamlit app's pages and shared state; `app.py` at the repository root puts them together.

Each page module has a `render()` and runs it when Streamlit executes the file as a page script,
so that `st.navigation` and `AppTest.switch_page` can both name a page by its file.
"""
