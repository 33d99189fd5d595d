//! The scrollable data table every view uses.

use leptos::prelude::*;

/// A column heading: its text, and whether the column holds numbers (right-aligned).
pub fn column(title: impl Into<String>, numeric: bool) -> (String, bool) {
    (title.into(), numeric)
}

/// A horizontally scrollable table with one heading row and the given body rows.
#[component]
pub fn DataTable(
    /// The table's element id.
    id: &'static str,
    /// Extra CSS class of the table.
    #[prop(optional)]
    class: &'static str,
    /// Column headings (see [`column`]).
    columns: Vec<(String, bool)>,
    /// The body rows.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table id=id class=class>
                <thead>
                    <tr>
                        {columns
                            .into_iter()
                            .map(|(title, numeric)| view! { <th scope="col" class:num=numeric>{title}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
